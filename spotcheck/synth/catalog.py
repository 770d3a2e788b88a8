"""The one list (随机抽查事项清单): ten departments of the city and their check items.

Item names, methods and the laws cited are modelled on published municipal check-item lists; the codes
(``DEPT-Xnn``) are ours. Key (重点) items cover safety and quality and some need a team of three per
department; general items need two, the legal minimum.
"""

from __future__ import annotations

from spotcheck.domain.model import CheckItem, Department, EntityKind, Method

__all__ = ["DEPARTMENTS", "ITEMS", "fields_of", "items_of"]

_E = EntityKind.ENTERPRISE
_I = EntityKind.INDIVIDUAL
_C = EntityKind.COOPERATIVE

DEPARTMENTS: tuple[Department, ...] = (
    Department("SCJG", "临沂市市场监督管理局", "Market Regulation"),
    Department("SW", "国家税务总局临沂市税务局", "Taxation"),
    Department("SXHJ", "临沂市生态环境局", "Ecology and Environment"),
    Department("YJGL", "临沂市应急管理局", "Emergency Management"),
    Department("XF", "临沂市消防救援支队", "Fire and Rescue"),
    Department("WSJK", "临沂市卫生健康委员会", "Health"),
    Department("JT", "临沂市交通运输局", "Transport"),
    Department("WHLY", "临沂市文化和旅游局", "Culture and Tourism"),
    Department("NYNC", "临沂市农业农村局", "Agriculture and Rural Affairs"),
    Department("ZJ", "临沂市住房和城乡建设局", "Housing and Urban-Rural Development"),
)


def _item(
    code: str,
    name: str,
    basis: str,
    method: Method,
    key: bool,
    kinds: tuple[EntityKind, ...],
    field: str,
    team: int = 2,
) -> CheckItem:
    department = code.split("-", 1)[0]
    return CheckItem(code, department, name, basis, method, key, tuple(sorted(kinds)), field, team)


_ON, _WR, _NET = Method.ONSITE, Method.WRITTEN, Method.ONLINE

ITEMS: tuple[CheckItem, ...] = (
    _item("SCJG-A01", "登记事项（住所或经营场所）检查", "《中华人民共和国市场主体登记管理条例》", _ON, False, (_E, _I, _C), "市场监管综合执法"),
    _item("SCJG-A07", "企业公示信息抽查", "《企业信息公示暂行条例》", _WR, False, (_E, _C), "市场监管综合执法"),
    _item("SCJG-B03", "食品经营者经营行为检查", "《中华人民共和国食品安全法》", _ON, True, (_E, _I), "食品安全"),
    _item("SCJG-C05", "生产领域产品质量检查", "《中华人民共和国产品质量法》", _ON, True, (_E,), "产品质量"),
    _item("SCJG-D02", "特种设备使用单位检查", "《中华人民共和国特种设备安全法》", _ON, True, (_E,), "特种设备安全", 3),
    _item("SW-A01", "纳税申报情况检查", "《中华人民共和国税收征收管理法》", _WR, False, (_E, _I), "税务稽查"),
    _item("SW-A02", "发票使用和管理情况检查", "《中华人民共和国发票管理办法》", _ON, False, (_E, _I), "税务稽查"),
    _item("SW-B01", "出口退（免）税情况检查", "《中华人民共和国税收征收管理法》", _WR, True, (_E,), "税务稽查"),
    _item("SXHJ-A01", "排污许可证执行情况检查", "《排污许可管理条例》", _ON, True, (_E,), "生态环境保护"),
    _item("SXHJ-A02", "建设项目环境影响评价及“三同时”检查", "《中华人民共和国环境影响评价法》", _ON, False, (_E,), "生态环境保护"),
    _item("SXHJ-B01", "危险废物规范化环境管理检查", "《中华人民共和国固体废物污染环境防治法》", _ON, True, (_E,), "生态环境保护", 3),
    _item("SXHJ-C01", "污染源自动监测数据检查", "《中华人民共和国大气污染防治法》", _NET, False, (_E,), "生态环境保护"),
    _item("YJGL-A01", "安全生产主体责任落实情况检查", "《中华人民共和国安全生产法》", _ON, True, (_E,), "安全生产"),
    _item("YJGL-A02", "危险化学品经营安全检查", "《危险化学品安全管理条例》", _ON, True, (_E,), "危险化学品安全", 3),
    _item("YJGL-B01", "工贸企业粉尘防爆安全检查", "《工贸企业粉尘防爆安全规定》", _ON, True, (_E,), "安全生产"),
    _item("YJGL-C01", "从业人员安全培训情况检查", "《生产经营单位安全培训规定》", _WR, False, (_E,), "安全生产"),
    _item("XF-A01", "消防安全责任制落实情况检查", "《中华人民共和国消防法》", _ON, True, (_E, _I), "消防监督"),
    _item("XF-A02", "消防设施、器材和消防安全标志检查", "《消防监督检查规定》", _ON, False, (_E, _I), "消防监督"),
    _item("XF-B01", "人员密集场所消防安全检查", "《中华人民共和国消防法》", _ON, True, (_E,), "消防监督", 3),
    _item("WSJK-A01", "公共场所卫生检查", "《公共场所卫生管理条例》", _ON, False, (_E, _I), "卫生监督"),
    _item("WSJK-A02", "生活饮用水卫生检查", "《生活饮用水卫生监督管理办法》", _ON, False, (_E,), "卫生监督"),
    _item("WSJK-B01", "用人单位职业病防治情况检查", "《中华人民共和国职业病防治法》", _ON, True, (_E,), "职业卫生"),
    _item("JT-A01", "道路运输经营者资质及经营行为检查", "《中华人民共和国道路运输条例》", _ON, False, (_E, _I), "交通运输执法"),
    _item("JT-A02", "道路危险货物运输安全检查", "《道路危险货物运输管理规定》", _ON, True, (_E,), "交通运输执法", 3),
    _item("JT-B01", "机动车维修经营检查", "《机动车维修管理规定》", _ON, False, (_E, _I), "交通运输执法"),
    _item("WHLY-A01", "旅行社经营行为检查", "《旅行社条例》", _ON, False, (_E,), "文化市场综合执法"),
    _item("WHLY-A02", "娱乐场所经营活动检查", "《娱乐场所管理条例》", _ON, False, (_E, _I), "文化市场综合执法"),
    _item("WHLY-A03", "互联网上网服务营业场所检查", "《互联网上网服务营业场所管理条例》", _ON, False, (_E, _I), "文化市场综合执法"),
    _item("WHLY-B01", "A级旅游景区安全管理检查", "《中华人民共和国旅游法》", _ON, True, (_E,), "文化市场综合执法"),
    _item("NYNC-A01", "农药经营行为检查", "《农药管理条例》", _ON, True, (_C, _E, _I), "农业综合执法"),
    _item("NYNC-A02", "种子生产经营检查", "《中华人民共和国种子法》", _ON, False, (_C, _E, _I), "农业综合执法"),
    _item("NYNC-B01", "兽药经营质量管理检查", "《兽药管理条例》", _ON, False, (_C, _E, _I), "农业综合执法"),
    _item("NYNC-C01", "农民专业合作社规范运行检查", "《中华人民共和国农民专业合作社法》", _WR, False, (_C,), "农业综合执法"),
    _item("ZJ-A01", "建筑施工企业安全生产条件检查", "《建设工程安全生产管理条例》", _ON, True, (_E,), "建设工程安全", 3),
    _item("ZJ-A02", "建设工程质量检查", "《建设工程质量管理条例》", _ON, True, (_E,), "建设工程质量"),
    _item("ZJ-B01", "房地产开发企业经营行为检查", "《城市房地产开发经营管理条例》", _WR, False, (_E,), "房地产市场监管"),
    _item("ZJ-B02", "物业服务企业服务质量检查", "《物业管理条例》", _ON, False, (_E,), "房地产市场监管"),
)  # fmt: skip


def items_of(department: str) -> tuple[CheckItem, ...]:
    return tuple(item for item in ITEMS if item.department == department)


def fields_of(department: str) -> tuple[str, ...]:
    """The enforcement fields an officer of ``department`` may be certified for, sorted."""
    return tuple(sorted({item.field for item in items_of(department)}))

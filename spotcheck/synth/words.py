"""Word lists for Chinese names: people, trade names (字号), industry words, shop and co-operative words.

Names are assembled as real registrations are: administrative prefix + trade name + industry word +
organisational form (《企业名称登记管理规定》), e.g. 临沂鑫源商贸有限公司, 兰山区宏达副食店,
沂南县丰泰果蔬种植专业合作社. They are synthetic; any likeness to a real firm is chance.
"""

from __future__ import annotations

__all__ = [
    "COOP_WORDS",
    "ENTERPRISE_WORDS",
    "FORMS",
    "FORM_WEIGHTS",
    "GIVEN",
    "SHOP_WORDS",
    "SURNAMES",
    "SURNAME_WEIGHTS",
    "TRADE",
]

# Common surnames of Shandong, most frequent first, with rough weights.
SURNAMES = "王张李刘孙杜徐陈赵杨高马朱于胡郭邵宋魏吴周董韩田庞颜孔曹彭冯"
SURNAME_WEIGHTS: tuple[int, ...] = (
    110, 100, 95, 80, 40, 25, 35, 30, 25, 25, 25, 15, 15, 15, 15, 15, 10, 10, 10, 10, 10, 10, 10, 10, 8, 8,
    8, 8, 8, 8,
)  # fmt: skip
GIVEN = "建国军红梅伟芳秀英华明丽强磊洋艳勇杰娟涛超静敏燕鹏斌霞波辉玉兰凤志刚海平晓东文德成宝"

TRADE = "鑫源华宏泰盛丰达恒瑞祥隆兴润博诚信德金鼎嘉汇远宇昌顺安福康利通海天新东明正和佳美凯荣晟锦沂蒙琅琊"

# Industry words per GB/T 4754 section letter (enterprise names).
ENTERPRISE_WORDS: dict[str, tuple[str, ...]] = {
    "A": ("农业科技", "种植", "养殖", "林业发展", "生态农业"),
    "B": ("矿业", "石材开采", "砂石"),
    "C": ("机械制造", "食品", "木业", "板材", "新材料", "化工", "服饰", "五金制品", "包装制品", "电子"),
    "D": ("热力", "新能源", "燃气", "供水"),
    "E": ("建筑工程", "建设工程", "装饰工程", "市政工程", "建筑安装"),
    "F": ("商贸", "贸易", "百货", "超市", "医药", "汽车销售", "建材", "食品销售", "农资"),
    "G": ("物流", "运输", "货运", "仓储", "快递"),
    "H": ("餐饮管理", "酒店管理", "饮食", "宾馆"),
    "I": ("信息技术", "网络科技", "软件", "电子商务"),
    "J": ("融资担保", "小额贷款", "投资管理"),
    "K": ("房地产开发", "置业", "物业服务", "物业管理"),
    "L": ("商务服务", "企业管理咨询", "广告", "人力资源", "旅行社", "租赁"),
    "M": ("科技", "工程技术", "检测技术", "规划设计"),
    "N": ("环保科技", "环境工程", "园林绿化"),
    "O": ("家政服务", "汽车维修", "洗涤服务", "美容美发"),
    "P": ("教育咨询", "培训学校", "职业培训"),
    "Q": ("医疗管理", "健康管理", "养老服务"),
    "R": ("文化传媒", "体育发展", "娱乐", "影视"),
    "S": ("社区服务",),
    "T": ("国际合作",),
}

# Shop words per section letter (individual business names).
SHOP_WORDS: dict[str, tuple[str, ...]] = {
    "A": ("种植园", "养殖场", "家庭农场"),
    "C": ("加工坊", "豆腐坊", "家具加工厂", "面粉加工部"),
    "E": ("装修队", "水电安装部"),
    "F": ("副食店", "超市", "便利店", "五金店", "服装店", "日用品商店", "建材经营部", "农资店", "烟酒店"),
    "G": ("货运部", "运输队", "快递服务部"),
    "H": ("饭店", "小吃部", "快餐店", "烧烤店", "面馆", "煎饼铺"),
    "I": ("电脑维修部", "手机店"),
    "L": ("信息服务部", "广告部", "租赁站"),
    "M": ("测绘服务部", "设计工作室"),
    "O": ("理发店", "洗车行", "汽车修理部", "家电维修部", "洗衣店", "美容店"),
    "P": ("辅导班", "书法培训部"),
    "Q": ("诊所", "按摩店"),
    "R": ("网吧", "台球室", "歌厅", "书店"),
}

# Co-operative words (farmers' specialised co-operatives).
COOP_WORDS: tuple[str, ...] = (
    "果蔬种植", "粮食种植", "蔬菜种植", "林果种植", "金银花种植", "生猪养殖", "肉鸡养殖", "奶牛养殖",
    "农机", "茶叶", "食用菌", "苗木",
)  # fmt: skip

FORMS: tuple[str, ...] = ("有限公司", "有限责任公司", "股份有限公司")
FORM_WEIGHTS: tuple[int, ...] = (85, 12, 3)

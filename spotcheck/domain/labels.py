"""Chinese names (with English beside them) for the codes the directory, the plan and the audit chain use, so
that pages show names, never bare codes (docs/formats.md lists the codes; GB/T 4754-2017 the industry sections)."""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from spotcheck.domain.lifecycle import PlanState
from spotcheck.domain.model import EntityKind, Method, Status

__all__ = [
    "DIRECTORY_NAMES",
    "INDUSTRIES",
    "KINDS",
    "METHODS",
    "PLAN_STATES",
    "STATUSES",
    "STEP_NAMES",
    "label",
]

# The names of every code of the model's enums, one row a code: (member, Chinese, English).
_ENUM_NAMES: tuple[tuple[StrEnum, str, str], ...] = (
    (EntityKind.ENTERPRISE, "企业", "enterprise"),
    (EntityKind.INDIVIDUAL, "个体工商户", "individual business"),
    (EntityKind.COOPERATIVE, "农民专业合作社", "farmers' cooperative"),
    (Status.ACTIVE, "存续", "active"),
    (Status.ABNORMAL, "列入经营异常名录", "on the abnormal-operations list"),
    (Status.CLOSED, "已关闭停业或正在组织清算", "closed or liquidating"),
    (Status.DEREGISTERED, "已注销", "deregistered"),
    (Status.REVOKED, "被吊销", "licence revoked"),
    (Status.CANCELLED, "被撤销", "registration cancelled"),
    (Status.MOVED_OUT, "迁出", "moved out"),
    (Method.ONSITE, "现场检查", "on site"),
    (Method.WRITTEN, "书面检查", "written"),
    (Method.ONLINE, "网络监测", "online monitoring"),
    (PlanState.DRAFT, "草案", "draft"),
    (PlanState.FROZEN, "已冻结", "frozen"),
    (PlanState.SEEDED, "已定种子", "seeded"),
    (PlanState.DRAWN, "已抽取", "drawn"),
    (PlanState.ASSIGNED, "已选派", "inspectors drawn"),
    (PlanState.IN_INSPECTION, "检查中", "in inspection"),
    (PlanState.RESULTS, "结果审核", "results in review"),
    (PlanState.PUBLISHED, "已公示", "published"),
)


def _names_of(enum: type[StrEnum]) -> dict[str, tuple[str, str]]:
    """``enum``'s rows of the table by code; a member without a row fails at import, so that no page can meet a
    code it has no name for."""
    table = {member.value: (zh, en) for member, zh, en in _ENUM_NAMES if isinstance(member, enum)}
    missing = [member.value for member in enum if member.value not in table]
    if missing:
        raise LookupError(f"no names for {enum.__name__} {', '.join(missing)}")
    return table


KINDS = _names_of(EntityKind)
STATUSES = _names_of(Status)
METHODS = _names_of(Method)
PLAN_STATES = _names_of(PlanState)

# GB/T 4754-2017 sections (门类)
INDUSTRIES: dict[str, tuple[str, str]] = {
    "A": ("农、林、牧、渔业", "agriculture, forestry, fishing"),
    "B": ("采矿业", "mining"),
    "C": ("制造业", "manufacturing"),
    "D": ("电力、热力、燃气及水生产和供应业", "utilities"),
    "E": ("建筑业", "construction"),
    "F": ("批发和零售业", "wholesale and retail"),
    "G": ("交通运输、仓储和邮政业", "transport, storage, post"),
    "H": ("住宿和餐饮业", "hotels and catering"),
    "I": ("信息传输、软件和信息技术服务业", "information technology"),
    "J": ("金融业", "finance"),
    "K": ("房地产业", "real estate"),
    "L": ("租赁和商务服务业", "leasing and business services"),
    "M": ("科学研究和技术服务业", "research and technical services"),
    "N": ("水利、环境和公共设施管理业", "water, environment, public facilities"),
    "O": ("居民服务、修理和其他服务业", "household and repair services"),
    "P": ("教育", "education"),
    "Q": ("卫生和社会工作", "health and social work"),
    "R": ("文化、体育和娱乐业", "culture, sports, entertainment"),
    "S": ("公共管理、社会保障和社会组织", "public administration"),
    "T": ("国际组织", "international organisations"),
}


def label(table: dict[str, tuple[str, str]], code: str) -> str:
    """``"中文 English"`` for a code; the code itself when the table has no name for it."""
    names = table.get(code)
    return f"{names[0]} {names[1]}" if names else code


# The steps of a plan's timeline: audit action -> (Chinese, English)
STEP_NAMES = {
    "plan": ("创建计划", "plan created"),
    "commit": ("部门承诺", "commitment"),
    "freeze": ("冻结输入", "inputs frozen"),
    "beacon": ("录入公共随机数", "beacon entered"),
    "handin": ("部门提交秘密", "secret handed in"),
    "draw": ("抽取检查对象", "targets drawn"),
    "assign": ("选派执法人员", "inspectors drawn"),
    "redraw": ("重新抽取", "redraw"),
    "start": ("开始检查", "inspection window opened"),
    "result": ("录入结果", "result recorded"),
    "review": ("审核结果", "result reviewed"),
    "close": ("结束检查", "inspection window closed"),
    "reveal": ("公开秘密", "secret revealed"),
    "publish": ("结果公示", "published"),
    "publish_blocked": ("公示受阻", "publication blocked"),
    "correct_result": ("更正结果", "result corrected"),
}

DIRECTORY_NAMES: Final = {  # the lists a regulator uploads: file kind (docs/formats.md) -> (Chinese, English)
    "departments": ("部门", "Departments"),
    "districts": ("行政区划", "Districts"),
    "items": ("抽查事项清单", "Check items"),
    "enterprises": ("检查对象名录库", "Enterprises"),
    "tiers": ("信用风险分类", "Credit tiers"),
    "inspectors": ("执法检查人员名录库", "Inspectors"),
    "experts": ("专家名录库", "Experts"),
    "conflicts": ("回避关系", "Recusals"),
}

"""The synthetic city's map: Linyi (临沂市, Shandong), its real GB/T 2260 districts and counties.

Weights are rough shares of the city's market entities (兰山区 holds the wholesale markets and the most
firms); towns and roads only make addresses look local and carry no meaning.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["AREAS", "CITY_NAME", "PROVINCE_NAME", "ROADS", "Area"]

PROVINCE_NAME = "山东省"
CITY_NAME = "临沂市"


@dataclass(frozen=True)
class Area:
    code: str  # GB/T 2260
    name: str
    weight: int  # share of the city's market entities, per mille
    towns: tuple[str, ...]


AREAS: tuple[Area, ...] = (
    Area("371302", "兰山区", 230, ("兰山街道", "银雀山街道", "金雀山街道", "柳青街道", "枣园镇", "义堂镇")),
    Area("371311", "罗庄区", 80, ("罗庄街道", "傅庄街道", "盛庄街道", "册山街道")),
    Area("371312", "河东区", 80, ("九曲街道", "芝麻墩街道", "汤头街道", "郑旺镇")),
    Area("371321", "沂南县", 65, ("界湖街道", "岸堤镇", "依汶镇", "蒲汪镇")),
    Area("371322", "郯城县", 65, ("郯城街道", "马头镇", "港上镇", "李庄镇")),
    Area("371323", "沂水县", 85, ("沂城街道", "许家湖镇", "高桥镇", "黄山铺镇")),
    Area("371324", "兰陵县", 80, ("卞庄街道", "苍山街道", "向城镇", "长城镇")),
    Area("371325", "费县", 65, ("费城街道", "上冶镇", "探沂镇", "胡阳镇")),
    Area("371326", "平邑县", 65, ("平邑街道", "仲村镇", "地方镇", "温水镇")),
    Area("371327", "莒南县", 80, ("十字路街道", "大店镇", "板泉镇", "相沟镇")),
    Area("371328", "蒙阴县", 45, ("蒙阴街道", "岱崮镇", "垛庄镇", "野店镇")),
    Area("371329", "临沭县", 60, ("临沭街道", "郑山街道", "蛟龙镇", "青云镇")),
)

ROADS: tuple[str, ...] = (
    "通达路", "解放路", "沂蒙路", "北京路", "上海路", "金雀山路", "银雀山路", "蒙山大道", "滨河大道",
    "沂河路", "涑河街", "金五路", "工业大道", "兴业路", "人民路", "建设路", "府前路", "振兴路",
    "文化路", "商城路", "物流大道", "红旗路", "新华路", "长安路", "平安路", "光明路", "和平路",
    "育才路", "胜利路", "东风路",
)  # fmt: skip

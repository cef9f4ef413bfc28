"""A small embedded table of real county-level administrative division codes (GB/T 2260).

172 districts, counties and county-level cities across all 31 provincial-level divisions,
with their names, so that synthetic resident identity numbers and credit codes carry address
codes that exist. Codes change over time; these are current or recently current codes. The
table holds no personal data.
"""

from __future__ import annotations

from dataclasses import dataclass

PROVINCES: dict[str, str] = {
    "11": "Beijing",
    "12": "Tianjin",
    "13": "Hebei",
    "14": "Shanxi",
    "15": "Inner Mongolia",
    "21": "Liaoning",
    "22": "Jilin",
    "23": "Heilongjiang",
    "31": "Shanghai",
    "32": "Jiangsu",
    "33": "Zhejiang",
    "34": "Anhui",
    "35": "Fujian",
    "36": "Jiangxi",
    "37": "Shandong",
    "41": "Henan",
    "42": "Hubei",
    "43": "Hunan",
    "44": "Guangdong",
    "45": "Guangxi",
    "46": "Hainan",
    "50": "Chongqing",
    "51": "Sichuan",
    "52": "Guizhou",
    "53": "Yunnan",
    "54": "Tibet",
    "61": "Shaanxi",
    "62": "Gansu",
    "63": "Qinghai",
    "64": "Ningxia",
    "65": "Xinjiang",
}
"""Provincial-level divisions by the first two digits of an address code."""

_COUNTIES = """
110101 东城区;110102 西城区;110105 朝阳区;110106 丰台区;110107 石景山区;110108 海淀区;
110109 门头沟区;110111 房山区;110112 通州区;110113 顺义区;110114 昌平区;110115 大兴区;
110116 怀柔区;110117 平谷区;110118 密云区;110119 延庆区;
120101 和平区;120102 河东区;120103 河西区;120104 南开区;120105 河北区;120106 红桥区;
130102 长安区;130104 桥西区;130105 新华区;130108 裕华区;
140105 小店区;140106 迎泽区;140107 杏花岭区;140109 万柏林区;
150102 新城区;150103 回民区;150104 玉泉区;150105 赛罕区;
210102 和平区;210103 沈河区;210104 大东区;210105 皇姑区;210106 铁西区;
220102 南关区;220103 宽城区;220104 朝阳区;220105 二道区;
230102 道里区;230103 南岗区;230104 道外区;230108 平房区;
310101 黄浦区;310104 徐汇区;310105 长宁区;310106 静安区;310107 普陀区;310109 虹口区;
310110 杨浦区;310112 闵行区;310113 宝山区;310114 嘉定区;310115 浦东新区;310116 金山区;
310117 松江区;310118 青浦区;310120 奉贤区;310151 崇明区;
320102 玄武区;320104 秦淮区;320105 建邺区;320106 鼓楼区;320111 浦口区;320113 栖霞区;
320114 雨花台区;320115 江宁区;
330102 上城区;330105 拱墅区;330106 西湖区;330108 滨江区;330109 萧山区;330110 余杭区;
340102 瑶海区;340103 庐阳区;340104 蜀山区;340111 包河区;
350102 鼓楼区;350103 台江区;350104 仓山区;350111 晋安区;
360102 东湖区;360103 西湖区;360104 青云谱区;360111 青山湖区;
370102 历下区;370103 市中区;370104 槐荫区;370105 天桥区;370112 历城区;
371002 环翠区;371082 荣成市;371083 乳山市;
410102 中原区;410103 二七区;410104 管城回族区;410105 金水区;
420102 江岸区;420103 江汉区;420104 硚口区;420105 汉阳区;420106 武昌区;420111 洪山区;
430102 芙蓉区;430103 天心区;430104 岳麓区;430105 开福区;430111 雨花区;
440103 荔湾区;440104 越秀区;440105 海珠区;440106 天河区;440111 白云区;440112 黄埔区;
440113 番禺区;440114 花都区;440115 南沙区;
440303 罗湖区;440304 福田区;440305 南山区;440306 宝安区;440307 龙岗区;440308 盐田区;
450102 兴宁区;450103 青秀区;450105 江南区;
460105 秀英区;460106 龙华区;460107 琼山区;460108 美兰区;
500101 万州区;500103 渝中区;500104 大渡口区;500105 江北区;500106 沙坪坝区;
500107 九龙坡区;500108 南岸区;500112 渝北区;
510104 锦江区;510105 青羊区;510106 金牛区;510107 武侯区;510108 成华区;
520102 南明区;520103 云岩区;
530102 五华区;530103 盘龙区;530111 官渡区;530112 西山区;
540102 城关区;
610102 新城区;610103 碑林区;610104 莲湖区;610112 未央区;610113 雁塔区;
620102 城关区;620103 七里河区;620104 西固区;
630102 城东区;630103 城中区;630104 城西区;
640104 兴庆区;640105 西夏区;640106 金凤区;
650102 天山区;650103 沙依巴克区;650104 新市区;650105 水磨沟区
"""


@dataclass(frozen=True)
class County:
    code: str
    name: str

    @property
    def province_code(self) -> str:
        return self.code[:2]

    @property
    def province(self) -> str:
        return PROVINCES[self.code[:2]]


COUNTIES: tuple[County, ...] = tuple(
    County(entry.split()[0], entry.split()[1])
    for entry in _COUNTIES.replace("\n", "").split(";")
    if entry.strip()
)
"""Every county of the table, in code order."""

"""Chinese names in pinyin written family name first ("Zhang Xiaoming, Li Wei").

Chinese journals and GB/T 7714 lists write romanised names family first, Western journals
given name first; "Zhang Xiaoming" and "Xiaoming Zhang" look alike to a pattern. Pinyin is a
closed set, so a list can be judged as a whole: when every name is pinyin, at least one is
clearly family first (a common surname, then a given name that is no surname) and none is
clearly given first, the whole list is family first. Otherwise the reading is left alone:
"Wei Zhang" is ambiguous and stays given first, the Western default.
"""

from __future__ import annotations

from citecheck.lazyre import lazy_compile
from citecheck.model import Author

# The commonest Chinese surnames in pinyin (they cover most of the population).
SURNAMES = frozenset(
    """an bai bao bi cai cao chang chen cheng chu cui dai deng ding dong du duan fan fang
    feng fu gao ge geng gong gu guan guo han hao he hong hou hu hua huang ji jia jiang jiao
    jin kang ke kong lai lan lei li liang liao lin liu long lou lu luo lv ma mao meng miao
    mo mu ni nie ning niu ou ouyang pan pang peng qi qian qiao qin qiu ren rong shao shen
    sheng shi song su sun tan tang tao tian wan wang wei wen wu xia xiang xiao xie xing xiong
    xu xue yan yang yao ye yi yin yu yuan yue zeng zhai zhan zhang zhao zheng zhong zhou zhu
    zhuang zou""".split()
)
_SYLLABLE = (
    r"(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ang|eng|ing|ong|ian|iao|uai|uan|ai|ei|ao|ou|an|en|in|un|ia|ie|iu|ua|uo"
    r"|ui|ue|ve|er|a|o|e|i|u|v)"
)
# A given name: one to three syllables, hyphenated or run together ("Xiaoming", "Xiao-Ming").
_PINYIN = lazy_compile(rf"(?:{_SYLLABLE}-?){{1,3}}", flags=2)  # re.IGNORECASE


def _is_pinyin(word: str) -> bool:
    return _PINYIN.fullmatch(word) is not None


def family_first(authors: list[Author]) -> list[Author]:
    """Swap given and family of a list read given-first when it is pinyin written family
    first (see the module docstring); any other list is returned unchanged."""
    if not authors or any(" " in a.given or " " in a.family for a in authors):
        return authors
    if not all(_is_pinyin(a.given) and _is_pinyin(a.family) for a in authors):
        return authors
    # Read given-first: `given` holds the first word, `family` the second.
    first_is_surname = [a.given.lower() in SURNAMES for a in authors]
    second_is_surname = [a.family.lower() in SURNAMES for a in authors]
    clearly_family_first = any(f and not s for f, s in zip(first_is_surname, second_is_surname))
    clearly_given_first = any(s and not f for f, s in zip(first_is_surname, second_is_surname))
    if clearly_family_first and not clearly_given_first:
        return [Author(family=a.given, given=a.family) for a in authors]
    return authors

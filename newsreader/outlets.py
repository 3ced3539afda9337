"""The table of known outlets: hosts, keys and names in both scripts, in one place."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from newsreader.model import View


@dataclass(frozen=True)
class Outlet:
    """A news outlet: a short ASCII key, its names in both scripts, the script it writes."""

    key: str
    name_hans: str
    name_hant: str
    hosts: tuple[str, ...] = ()
    writes: str = "simplified"  # the script of its own name shown for `original`
    timezone: str = "UTC"  # where its own printed times are local
    aliases: tuple[str, ...] = ()  # other names it goes by (in titles, front matter), both scripts

    def names(self) -> set[str]:
        """Every name of the outlet, casefolded: key, names with and without their Latin part, aliases."""
        names = {self.key, self.name_hans, self.name_hant, *self.aliases}
        names |= {n.split(" ", 1)[-1] for n in names} | {n.split(" ", 1)[0] for n in names if " " in n}
        return {n.strip().casefold() for n in names if n.strip()}

    def name(self, view: View = View.ORIGINAL) -> str:
        """The outlet's name in the script asked for (its own script for ``original``)."""
        if view is View.SIMPLIFIED:
            return self.name_hans
        if view is View.TRADITIONAL:
            return self.name_hant
        return self.name_hant if self.writes == "traditional" else self.name_hans


KNOWN: tuple[Outlet, ...] = (
    Outlet("dw", "DW 德国之声", "DW 德國之聲", ("dw.com", "dw.de"), "traditional", "Europe/Berlin",
           ("德国之声", "德國之聲", "Deutsche Welle", "DW中文", "德国之声中文网", "德國之聲中文網")),
    Outlet("epochtimes", "大纪元", "大紀元", ("epochtimes.com", "epochtimes.com.tw"), "simplified", "America/New_York",
           ("Epoch Times", "大纪元时报", "大紀元時報")),
    Outlet("rfi", "RFI 法广", "RFI 法廣", ("rfi.fr", "rfi.my"), "simplified", "Europe/Paris",
           ("法国国际广播电台", "法國國際廣播電台", "法國國際廣播電臺", "法广中文", "Radio France Internationale")),
    Outlet("nytimes", "纽约时报中文网", "紐約時報中文網", ("cn.nytimes.com", "nytimes.com", "cn.nytstyle.com"),
           "simplified", "Asia/Shanghai", ("纽约时报", "紐約時報", "New York Times", "NYT")),
    Outlet("bbc", "BBC 中文", "BBC 中文", ("bbc.com", "bbc.co.uk"), "simplified", "Europe/London",
           ("BBC中文网", "BBC中文網", "BBC News 中文", "BBC")),
    Outlet("voa", "VOA 美国之音", "VOA 美國之音", ("voachinese.com", "voacantonese.com", "voanews.com"),
           "simplified", "America/New_York", ("美国之音中文网", "美國之音中文網", "Voice of America")),
    Outlet("rfa", "RFA 自由亚洲电台", "RFA 自由亞洲電台", ("rfa.org",), "simplified", "America/New_York",
           ("自由亞洲電臺", "Radio Free Asia")),
    Outlet("reuters", "Reuters 路透", "Reuters 路透", ("reuters.com",), "simplified", "Asia/Shanghai",
           ("路透社", "路透中文网", "路透中文網")),
    Outlet("wsj", "华尔街日报中文网", "華爾街日報中文網", ("cn.wsj.com",), "simplified", "Asia/Shanghai",
           ("华尔街日报", "華爾街日報", "WSJ")),
    Outlet("ftchinese", "FT中文网", "FT中文網", ("ftchinese.com",), "simplified", "Asia/Shanghai",
           ("金融时报", "金融時報", "Financial Times")),
    Outlet("zaobao", "联合早报", "聯合早報", ("zaobao.com", "zaobao.com.sg"), "simplified", "Asia/Singapore",
           ("Zaobao", "联合早报网", "聯合早報網", "早报", "早報")),
    Outlet("initium", "端传媒", "端傳媒", ("theinitium.com", "initiummedia.com"), "traditional", "Asia/Hong_Kong",
           ("Initium",)),
    Outlet("ntdtv", "新唐人", "新唐人", ("ntdtv.com",), "simplified", "America/New_York", ("NTD",)),
    Outlet("soundofhope", "希望之声", "希望之聲", ("soundofhope.org",), "simplified", "America/New_York"),
    Outlet("secretchina", "看中国", "看中國", ("secretchina.com", "kanzhongguo.com"), "simplified", "America/New_York"),
    Outlet("cdt", "CDT 中国数字时代", "CDT 中國數字時代", ("chinadigitaltimes.net",), "simplified",
           "America/Los_Angeles", ("China Digital Times",)),
    Outlet("cna", "CNA 中央社", "CNA 中央社", ("cna.com.tw",), "traditional", "Asia/Taipei",
           ("中央通讯社", "中央通訊社", "(臺)中央社CNA", "(台)中央社CNA", "中央社CNA", "Focus Taiwan")),
    Outlet("rti", "RTI 中央广播电台", "RTI 中央廣播電臺", ("rti.org.tw",), "traditional", "Asia/Taipei",
           ("中央廣播電台", "央广", "央廣", "Radio Taiwan International", "台湾之音", "臺灣之音")),
    Outlet("udn", "联合新闻网", "聯合新聞網", ("udn.com",), "traditional", "Asia/Taipei", ("联合报", "聯合報")),
    Outlet("storm", "风传媒", "風傳媒", ("storm.mg",), "traditional", "Asia/Taipei"),
    Outlet("twreporter", "报导者", "報導者", ("twreporter.org",), "traditional", "Asia/Taipei"),
    Outlet("hk01", "香港01", "香港01", ("hk01.com",), "traditional", "Asia/Hong_Kong"),
    Outlet("rthk", "香港电台", "香港電台", ("rthk.hk",), "traditional", "Asia/Hong_Kong", ("RTHK",)),
    Outlet("thestandnews", "立场新闻", "立場新聞", ("thestandnews.com",), "traditional", "Asia/Hong_Kong"),
    Outlet("paopao", "泡泡", "泡泡", ("pao-pao.net",), "simplified", "Europe/Berlin"),
    Outlet("iyouport", "iYouPort", "iYouPort", ("iyouport.org", "iyouport.com"), "simplified", "UTC"),
    Outlet("matters", "Matters", "Matters", ("matters.news", "matters.town"), "traditional", "Asia/Hong_Kong"),
    Outlet("medium", "Medium", "Medium", ("medium.com",), "simplified", "UTC"),
    Outlet("neist", "Nei.st", "Nei.st", ("nei.st",), "simplified", "UTC"),
    Outlet("chinafile", "ChinaFile", "ChinaFile", ("chinafile.com",), "simplified", "America/New_York", ("中参馆", "中參館")),
    Outlet("solidot", "Solidot 奇客", "Solidot 奇客", ("solidot.org",), "simplified", "Asia/Shanghai"),
    Outlet("economist", "经济学人", "經濟學人", ("economist.com",), "simplified", "Europe/London",
           ("The Economist", "Economist", "经济学人en")),
    Outlet("bitterwinter", "寒冬 Bitter Winter", "寒冬 Bitter Winter", ("bitterwinter.org",), "simplified", "Europe/Rome",
           ("寒冬",)),
    Outlet("wqw", "维权网", "維權網", ("wqw2010.blogspot.com",), "simplified", "Asia/Shanghai",
           ("民生观察", "Civil Rights & Livelihood Watch")),
    Outlet("xwlb", "CCTV 新闻联播", "CCTV 新聞聯播", ("cn.govopendata.com",), "simplified", "Asia/Shanghai",
           ("CCTV新闻联播", "新闻联播文字版", "新聞聯播文字版")),
    Outlet("xinhua", "新华网", "新華網", ("xinhuanet.com", "news.cn"), "simplified", "Asia/Shanghai", ("新华社", "新華社")),
    Outlet("peopledaily", "人民网", "人民網", ("people.com.cn",), "simplified", "Asia/Shanghai", ("人民日报", "人民日報")),
    Outlet("thepaper", "澎湃新闻", "澎湃新聞", ("thepaper.cn",), "simplified", "Asia/Shanghai"),
    Outlet("caixin", "财新网", "財新網", ("caixin.com",), "simplified", "Asia/Shanghai", ("财新", "財新")),
)

_BY_KEY = {o.key: o for o in KNOWN}
_BY_HOST = {h: o for o in KNOWN for h in o.hosts}
_BY_NAME = {name: o for o in reversed(KNOWN) for name in o.names()}


_SITE_PREFIXES = ("www.", "m.", "mobile.", "amp.", "wap.")


def host_of(url: str) -> str:
    """The site of a URL: its lowercase host without ``www.``, ``m.`` and the like (the mobile
    and desktop sites of one outlet are one), without a port; or ''."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    stripped = True
    while stripped:
        stripped = False
        for prefix in _SITE_PREFIXES:
            if host.startswith(prefix) and host.count(".") > 1:
                host = host[len(prefix):]
                stripped = True
    return host


def by_host(host: str) -> Outlet | None:
    """The known outlet serving ``host`` or one of its parent domains."""
    parts = host.lower().split(".")
    for i in range(len(parts) - 1):
        outlet = _BY_HOST.get(".".join(parts[i:]))
        if outlet:
            return outlet
    return None


def by_name(name: str) -> Outlet | None:
    """The known outlet whose key or name (in either script, with or without a Latin prefix) is ``name``."""
    needle = name.strip().casefold()
    if not needle:
        return None
    if needle in _BY_KEY:
        return _BY_KEY[needle]
    return _BY_NAME.get(needle)


@lru_cache(maxsize=4096)
def get(key: str) -> Outlet:
    """The outlet for a key; an unknown key (a host, or a name from front matter) becomes an
    outlet named by itself, in both scripts."""
    known = _BY_KEY.get(key)
    if known:
        return known
    from newsreader.safetext import printable_line

    name = printable_line(key)  # (a key a cache of an older version made may hold control characters)
    if any("\u3400" <= c <= "\u9fff" for c in name):
        from newsreader import script

        return Outlet(key, script.to_simplified(name), script.to_traditional(name))
    return Outlet(key, name, name)


def _name_key(hint: str) -> str:
    """An outlet key made of a front matter name: its text, spaces collapsed, Latin in lowercase,
    without control, bidi or invisible format characters (a key is printed as it is: an escape
    sequence in an author field reached the terminal through ``outlets``, ``stories`` and
    ``coverage``)."""
    from newsreader.safetext import printable_line

    return " ".join(printable_line(hint).split())[:40].lower()


def key_for(url: str, *hints: str, folder: str = "") -> str:
    """The outlet key of an article: a known outlet by its URL's site, else by a name in the
    hints (front matter tags, categories, author, in that order) or the folder's name; an
    unknown outlet is named by the first hint, and only without one by its site (then folder)."""
    host = host_of(url)
    outlet = by_host(host) if host else None
    if outlet:
        return outlet.key
    for hint in (*hints, folder):
        outlet = by_name(hint)
        if outlet:
            return outlet.key
    for hint in hints:
        key = _name_key(hint)
        if key and not key.isdigit():
            return key
    if host:
        return host
    for hint in (folder,):
        key = "".join(c for c in hint.strip().lower() if c.isascii() and (c.isalnum() or c in ".-_"))
        if key:
            return key
    return "unknown"

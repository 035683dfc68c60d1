"""A small hand-made corpus that mimics the samples in raw/, for tests and screenshots.

`python -m cleaner.report.demo OUT` writes OUT/report.html from it. It includes a hostile
document (markup and script in every text field) to show and test the escaping.
"""

from __future__ import annotations

import sys
from pathlib import Path

from cleaner.document import Document, Paragraph, Removal
from cleaner.report.data import RuleInfo

COMMON = "rules/common.toml"
TECHPOINT = "rules/sites/techpoint.africa.toml"
PRESSE_CITRON = "rules/sites/presse-citron.net.toml"

RULES: tuple[RuleInfo, ...] = (
    RuleInfo("share-widget", "drop", f"{COMMON}:4"),
    RuleInfo("image-credit", "drop", f"{COMMON}:11"),
    RuleInfo("read-time", "drop", f"{COMMON}:18"),
    RuleInfo("menu-line", "drop", f"{COMMON}:25"),
    RuleInfo("leading-timestamp", "header", f"{COMMON}:32"),
    RuleInfo("more-to-come", "replace", f"{COMMON}:39"),
    RuleInfo("cookie-banner", "drop", f"{COMMON}:46"),  # never fires in the demo
    RuleInfo("related-links", "trailer", f"{COMMON}:53"),  # never fires in the demo
    RuleInfo("read-also", "trailer", f"{COMMON}:60"),
    RuleInfo("techpoint-digest-trailer", "trailer", f"{TECHPOINT}:2"),
    RuleInfo("presse-citron-google-news", "trailer", f"{PRESSE_CITRON}:2"),
    RuleInfo("presse-citron-author-bio", "trailer", f"{PRESSE_CITRON}:9"),
)
_WHERE = {r.id: r for r in RULES}

# Text every field of the hostile document carries: if any of it became markup, the
# browser test sees window.__pwned set or an <img> inside the page.
SCRIPT_TEXT = "<script>window.__pwned=1</script>"
IMG_TEXT = '<img src=x onerror="window.__pwned=1">'
CLOSE_TEXT = "</script><script>window.__pwned=1</script>"


def removal(rule: str, text: str) -> Removal:
    info = _WHERE.get(rule)
    if info is None:  # a built-in step: `where` is the step name again
        return Removal(rule, rule, text, "step")
    return Removal(rule, info.where, text, info.kind)


# A paragraph spec: text, or (text, rule-that-dropped-it), or (text, rule, "li"/"title").
Spec = str | tuple[str, str | None] | tuple[str, str | None, str]


def make_document(source: str, specs: list[Spec], **meta: str | None) -> Document:
    doc = Document(source=source, **meta)  # type: ignore[arg-type]
    for spec in specs:
        if isinstance(spec, str):
            spec = (spec, None)
        text, rule = spec[0], spec[1]
        flavour = spec[2] if len(spec) > 2 else "p"
        para = Paragraph(text, kind="li" if flavour == "li" else "p", is_title=flavour == "title")
        doc.paragraphs.append(para)
        if rule is not None:
            doc.drop(para, removal(rule, text))
    return doc


def sample_documents() -> list[Document]:
    """Documents like the cleaned samples in raw/ (plus an empty one and a >50% one)."""
    presse = make_document(
        "004_78e1a5b385e1e75c.txt",
        [
            ("Spread the love", "share-widget"),
            (
                "Did Netflix conspire with Facebook to steal your private messages in Messenger ?",
                None,
                "title",
            ),
            ("© Meta", "image-credit"),
            "It all starts with a class action against Meta, and a disturbing piece of "
            "information spotted through an austere quantity of documents linked to the "
            "affair. In 2011, Reed Hastings, CEO of the streaming platform, joined "
            "Facebook's board of directors.",
            "However, as early as 2013, the two firms began to exchange very sensitive "
            "information about Facebook users.",
            (
                "Celui- this, completely confidential, is revealed on the sidelines of a "
                "class action.",
                None,
                "li",
            ),
            (
                "We discover how for an indefinite period Netflix had access to the private "
                "messages of users of Facebook.",
                None,
                "li",
            ),
            (
                "📍 To not miss any news from Presse-citron, follow us on Google News and "
                "WhatsApp.",
                "presse-citron-google-news",
            ),
            ("14.5 M reviews", "presse-citron-google-news"),
            (
                "Teilor Stone has been a reporter on the news desk since 2013. Before that "
                "she wrote about young adolescence and family dynamics for Styles and was "
                "the legal affairs correspondent for the Metro desk. Before joining Thesaxon, "
                "Teilor Stone worked as a staff writer at the Village Voice.",
                "presse-citron-author-bio",
            ),
        ],
        title="Did Netflix conspire with Facebook to steal your private messages in Messenger ?",
        author="Teilor Stone",
        language="en",
        site="presse-citron.net",
    )
    techpoint = make_document(
        "002_03abc82231361173.txt",
        [
            ("Meta refutes sharing users’ data with Netflix", None, "title"),
            ("April 3, 2024", "leading-timestamp"),
            ("2 min read", "read-time"),
            (
                "A court document revealed that Facebook's parent company, Meta, gave Netflix "
                "access to Facebook users' direct messages.",
                None,
                "li",
            ),
            ("In May 2023, Meta was fined €1.2 billion ($1.3 billion).", None, "li"),
            "According to the lawsuit filed in April 2023, Meta gave Netflix ten years of "
            "access to its users' data, which violated privacy laws.",
            "However, Meta has denied the allegations. Andy Stone, Meta's communications "
            "director, responded on X on April 2, 2024.",
            ("Subscribe To Techpoint Digest", "techpoint-digest-trailer"),
            (
                "Join thousands of subscribers to receive our fun week-daily 5-minute roundup "
                "of happenings in African and global tech, directly in your inbox, hours before "
                "everyone else.",
                "techpoint-digest-trailer",
            ),
            ("Digest Subscription", "techpoint-digest-trailer"),
            (
                "Give it a try, you can unsubscribe anytime. Privacy Policy.",
                "techpoint-digest-trailer",
            ),
            ("Other Stories", "techpoint-digest-trailer"),
            ("43b, Emina Cres, Allen, Ikeja.", "techpoint-digest-trailer"),
            ("Techpremier Media Limited. All rights reserved", "techpoint-digest-trailer"),
        ],
        title="Meta refutes sharing users’ data with Netflix",
        date="2024-04-03",
        language="en",
        site="techpoint.africa",
    )
    french = make_document(
        "001_0f2e79a83c14df18.txt",
        [
            ("Menu Menu", "menu-line"),
            (
                "Facebook aurait partagé des messages d'utilisateurs avec Netflix pendant une "
                "décennie",
                None,
                "title",
            ),
            "Dans une tentative douteuse de mieux adapter le contenu à ses abonnés, Netflix "
            "aurait consulté nos messages privés sur Facebook.",
            "Facebook est de nouveau devant les tribunaux.",
            "Si elles sont accusées lors de ce recours collectif, les deux plateformes "
            "auront de nombreuses responsabilités à répondre.",
            ("Accessibilité", "classifier"),
        ],
        title="Facebook aurait partagé des messages d'utilisateurs avec Netflix pendant une "
        "décennie",
        language="fr",
    )
    # A replacement: the rule cut a phrase out of a kept paragraph, so the removal is in
    # doc.removed without a dropped paragraph; the report lists it beside the article.
    french.removed.append(removal("more-to-come", " Plus à venir."))
    dated = make_document(
        "003_aea13656b03e41cc.txt",
        [
            ("2024-04-12 08:10:46", "leading-timestamp"),
            "New documents indicate that Facebook allowed Netflix to see a user’s direct "
            "messages, in order to help them personalize content.",
            "It revealed that Facebook shared user direct messages with Netflix “for nearly "
            "a decade,” according to a lawsuit.",
        ],
        date="2024-04-12",
        language="en",
    )
    cookie_wall = make_document(
        "005_cookie_wall.txt",
        [
            ("We value your privacy", "classifier"),
            ("We and our partners use cookies to store and access personal data.", "classifier"),
            ("Accept all", "classifier"),
        ],
        language="en",
    )
    short = make_document(
        "007_nairametrics_brief.txt",
        [
            "Meta shares fell 2% in early trading after the filing was made public.",
            ("Read also: Netflix adds 9 million subscribers in the first quarter", "read-also"),
            ("Read also: How Meta plans to monetise WhatsApp in Africa", "read-also"),
            ("Read also: The EU fines Meta €1.2 billion over data transfers", "read-also"),
        ],
        language="en",
        site="nairametrics.com",
    )
    return [presse, techpoint, french, dated, cookie_wall, short]


def hostile_document() -> Document:
    """Markup and script in every text field; the page must show all of it as text."""
    hostile = make_document(
        "008_<b>hostile</b>.txt",
        [
            (CLOSE_TEXT, None, "title"),
            SCRIPT_TEXT,
            IMG_TEXT,
            "Placeholders stay text: {{JS}} /*{{DATA}}*/ and a line\u2028separator.",
            ('<a href="javascript:window.__pwned=1">Share</a> ' + IMG_TEXT, "share-widget"),
        ],
        title=CLOSE_TEXT,
        author='"><img src=x onerror="window.__pwned=1">',
        date=SCRIPT_TEXT,
        language="<i>en</i>",
        site=IMG_TEXT + " /*{{JS}}*/ {{DATA}}",
        url="javascript:window.__pwned=1",
    )
    hostile.removed.append(removal("more-to-come", IMG_TEXT))
    return hostile


def demo_documents() -> list[Document]:
    return [*sample_documents(), hostile_document()]


def main(argv: list[str] | None = None) -> int:
    from cleaner.report.render import write_report

    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print("usage: python -m cleaner.report.demo OUT_DIR", file=sys.stderr)
        return 2
    out = Path(args[0])
    out.mkdir(parents=True, exist_ok=True)
    print(write_report(out, demo_documents(), RULES))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

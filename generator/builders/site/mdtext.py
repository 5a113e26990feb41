"""Source text placed in the generated Markdown: escaping and front matter.

Shared by the course pages (``pages.py``) and the coverage pages (``dashboard.py``), which otherwise
import nothing of each other.
"""

from __future__ import annotations

from html import escape


def esc(text: str) -> str:
    """Escape source text placed in Markdown so it can never become markup.

    Braces are escaped too: "{: onclick=…}" at the end of a heading is an attribute list to Markdown; a
    backslash, which would escape the character after it ("Tiêu đề\\" ending a link text broke the link);
    and "|", which inside a table row starts a new cell (a school named "A | 99 | 100,0% | Đạt" forged a row).
    """
    return escape(text, quote=False).translate(_MARKDOWN_ENTITIES)


_MARKDOWN_ENTITIES = str.maketrans({c: f"&#{ord(c)};" for c in "\\[]*_`{}|"})


def html_title(text: str) -> str:
    """Source text for page titles, descriptions and nav entries: MkDocs treats these as HTML and its
    theme inserts them unescaped (``{{ nav_item.title }}``, ``<meta content="…">``), so escape them here."""
    return escape(" ".join(text.split()), quote=True)


def front(title: str, description: str = "", *, searchable: bool = True) -> str:
    lines = ["---", f"title: {_yaml_str(html_title(title))}"]
    if description:
        lines.append(f"description: {_yaml_str(html_title(description))}")
    if not searchable:
        lines += ["search:", "  exclude: true"]
    lines.append("---")
    return "\n".join(lines) + "\n\n"


def _yaml_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'

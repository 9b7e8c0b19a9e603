"""Typeset one Typst document in a process of its own.

    python typeset.py TEMPLATE [STANDARD ...] < document.json > document.pdf

Typst keeps what it has laid out in a cache that lives as long as the process and is
never emptied, so the report PDF is typeset in child processes (see ``pdf.py``): a web
or job worker never holds a layout, and each part's memory goes back when it ends. This
file imports nothing of Consult: the child starts in a fraction of a second.
"""

import sys
from pathlib import Path

FONT_DIRECTORIES = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu")


def main() -> None:
    import typst

    template, standards = sys.argv[1], sys.argv[2:]
    document = sys.stdin.buffer.read().decode("utf-8")
    pdf = typst.compile(
        template,
        sys_inputs={"report": document},
        font_paths=[folder for folder in FONT_DIRECTORIES if Path(folder).is_dir()],
        pdf_standards=standards or None,
    )
    sys.stdout.buffer.write(pdf)


if __name__ == "__main__":
    main()

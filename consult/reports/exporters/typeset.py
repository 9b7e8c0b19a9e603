"""What runs in a child process of its own when a report PDF is made: typesetting with
Typst, and joining the parts of a long report.

    python typeset.py typeset TEMPLATE OUT.pdf [STANDARD ...] < document.json
    python typeset.py join TEMPLATE OUT.pdf FRAMES.pdf PART.pdf ... < /dev/null

Typst keeps what it has laid out in a cache that lives as long as the process and is never
emptied, and a joined document is held whole in memory until it is written: so neither
happens in a web or job worker (``pdf.py`` starts these processes), and each one's memory
goes back to the system when it ends. This file imports nothing of Consult, so a child
starts in a fraction of a second.

Joining tagged PDFs is not only putting their pages together: each part has its own
structure tree, whose elements point at the page content through the pages'
``/StructParents`` keys and the tree's ``/ParentTree``, and whose table cells name their
header cells by IDs that repeat from part to part. ``join`` moves every part's structure
under the first part's Document element, shifts the keys, gives the IDs a prefix per part
and carries the bookmarks over (and drops the table cells' optional layout attributes: a
third fewer objects to hold in memory). The first part gives the catalogue: language,
title, the PDF/UA identification, viewer settings. ``lay_frames`` then draws each page's
running title and "Page n of m" from a document of frames only, marked as artifacts, as
Typst marks its own.
"""

import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pikepdf
from pikepdf import Array, Dictionary, Name, String

FONT_DIRECTORIES = ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/dejavu")


def typeset(template: str, document: str, standards: list[str]) -> bytes:
    import typst

    return typst.compile(
        template,
        sys_inputs={"report": document},
        font_paths=[folder for folder in FONT_DIRECTORIES if Path(folder).is_dir()],
        pdf_standards=cast(Any, standards) or None,  # typst names each standard as a Literal
    )


def _tree_items(node: pikepdf.Object, entries: str) -> Iterator[tuple[pikepdf.Object, pikepdf.Object]]:
    """The (key, value) pairs of a PDF number tree (``/Nums``) or name tree (``/Names``), kids included."""
    if entries in node:
        flat = node[entries]
        for index in range(0, len(flat), 2):
            yield flat[index], flat[index + 1]
    for kid in node.get("/Kids", []):
        yield from _tree_items(kid, entries)


def _number_tree(node: pikepdf.Object) -> Iterator[tuple[int, pikepdf.Object]]:
    return ((int(key), value) for key, value in _tree_items(node, "/Nums"))


def _name_tree(node: pikepdf.Object) -> Iterator[tuple[str, pikepdf.Object]]:
    return ((str(key), value) for key, value in _tree_items(node, "/Names"))


def _document_element(tree: pikepdf.Object) -> pikepdf.Object:
    kids = tree.K
    return kids[0] if isinstance(kids, Array) else kids


def _kids(element: pikepdf.Object) -> list[pikepdf.Object]:
    kids = element.get("/K")
    if kids is None:
        return []
    return list(kids) if isinstance(kids, Array) else [kids]


def _prepare_structure(part: pikepdf.Pdf, prefix: str) -> None:
    """Rename the IDs of a part's structure elements and the header cells its table cells
    name; drop the cells' layout attributes (the border style, for reflowing readers; the
    borders are drawn all the same), which are a third of the objects of a long report."""
    for node in part.objects:
        if not isinstance(node, Dictionary) or "/S" not in node:
            continue
        if "/ID" in node and prefix:
            node.ID = String(prefix + str(node.ID))
        attributes = node.get("/A")
        if not isinstance(attributes, Array):
            continue
        kept = [owner for owner in attributes if not (isinstance(owner, Dictionary) and owner.get("/O") == "/Layout")]
        for owner in kept:
            if prefix and isinstance(owner, Dictionary) and "/Headers" in owner:
                owner.Headers = Array([String(prefix + str(name)) for name in owner.Headers])
        if not kept:
            del node.A
        elif len(kept) != len(attributes):
            node.A = kept[0] if len(kept) == 1 else Array(kept)


def _outline_items(part: pikepdf.Pdf, first_page: int) -> list[pikepdf.OutlineItem]:
    pages: dict[object, int] = {page.objgen: index for index, page in enumerate(part.pages)}

    def copy(item: pikepdf.OutlineItem) -> pikepdf.OutlineItem:
        destination = item.destination
        page = pages.get(destination[0].objgen) if isinstance(destination, Array) and len(destination) else None
        copied = pikepdf.OutlineItem(item.title, first_page + page if page is not None else None)
        copied.children.extend(copy(child) for child in item.children)
        return copied

    with part.open_outline() as outline:
        return [copy(item) for item in outline.root]


class _JoinedStructure:
    """The first part's structure tree, growing as the other parts are moved into it."""

    def __init__(self, joined: pikepdf.Pdf) -> None:
        self.joined = joined
        self.tree = joined.Root.StructTreeRoot
        self.document = _document_element(self.tree)
        if not isinstance(self.document.get("/K"), Array):
            self.document.K = Array(_kids(self.document))
        self.parent_tree = dict(_number_tree(self.tree.ParentTree))
        self.ids = dict(_name_tree(self.tree.IDTree)) if "/IDTree" in self.tree else {}
        self.role_map = dict(self.tree.RoleMap.items()) if "/RoleMap" in self.tree else {}
        self.next_key = int(self.tree.ParentTreeNextKey)

    def add(self, part: pikepdf.Pdf, prefix: str) -> None:
        """Move the part's pages and structure in (the part's IDs already carry ``prefix``)."""
        part_tree = part.Root.StructTreeRoot
        first_page = len(self.joined.pages)
        self.joined.pages.extend(part.pages)
        for page in self.joined.pages[first_page:]:
            _shift_keys(page.obj, self.next_key)
        # Pages first, then the structure: qpdf copies each foreign object once per source,
        # so the elements' /Pg and the parent tree point at the pages just added.
        for key, value in _number_tree(part_tree.ParentTree):
            self.parent_tree[key + self.next_key] = self.joined.copy_foreign(value)
        for kid in _kids(_document_element(part_tree)):
            copied = self.joined.copy_foreign(kid)
            if isinstance(copied, Dictionary) and "/S" in copied:
                copied.P = self.document
            self.document.K.append(copied)
        if "/IDTree" in part_tree:
            for name, element in _name_tree(part_tree.IDTree):
                self.ids[prefix + name] = self.joined.copy_foreign(element)
        if "/RoleMap" in part_tree:
            self.role_map.update({k: v for k, v in part_tree.RoleMap.items() if k not in self.role_map})
        self.next_key += int(part_tree.ParentTreeNextKey)

    def write(self) -> None:
        tree, parents, ids = self.tree, self.parent_tree, self.ids
        tree.ParentTree = self.joined.make_indirect(
            Dictionary(Nums=Array([item for key in sorted(parents) for item in (key, parents[key])]))
        )
        tree.ParentTreeNextKey = self.next_key
        if ids:
            tree.IDTree = self.joined.make_indirect(
                Dictionary(Names=Array([item for name in sorted(ids) for item in (String(name), ids[name])]))
            )
        if self.role_map:
            tree.RoleMap = Dictionary(self.role_map)


def _shift_keys(page: pikepdf.Dictionary, offset: int) -> None:
    """A page moved behind ``offset`` keys of the parent tree: its own key and its annotations'."""
    if "/StructParents" in page:
        page.StructParents = int(page.StructParents) + offset
    for annotation in page.get("/Annots", []):
        if "/StructParent" in annotation:
            annotation.StructParent = int(annotation.StructParent) + offset


def join(parts: list[bytes]) -> pikepdf.Pdf:
    joined = pikepdf.open(io.BytesIO(parts[0]))
    _prepare_structure(joined, "")
    structure = _JoinedStructure(joined)
    bookmarks: list[pikepdf.OutlineItem] = []
    for number, data in enumerate(parts[1:], start=1):
        part = pikepdf.open(io.BytesIO(data))
        prefix = f"p{number}-"
        _prepare_structure(part, prefix)  # before anything of the part is copied
        first_page = len(joined.pages)
        structure.add(part, prefix)
        bookmarks += _outline_items(part, first_page)
    structure.write()
    if bookmarks:
        with joined.open_outline() as outline:
            # The parts after the first start below the report's title (its only level-1 heading).
            (outline.root[-1].children if outline.root else outline.root).extend(bookmarks)
    return joined


def lay_frames(pdf: pikepdf.Pdf, frames: bytes) -> None:
    """Draw each page of ``frames`` (running title, page number) over the same page of ``pdf``."""
    source = pikepdf.open(io.BytesIO(frames))
    if len(source.pages) != len(pdf.pages):
        raise ValueError(f"{len(source.pages)} frames for {len(pdf.pages)} pages")
    for page, frame in zip(pdf.pages, source.pages, strict=True):
        form = pdf.copy_foreign(frame.as_form_xobject())
        name = page.add_resource(form, Name.XObject, prefix="Frame")
        # The page's own drawing in q … Q, so that whatever state it leaves does not move the frame.
        page.contents_add(pikepdf.Stream(pdf, b"q\n"), prepend=True)
        drawing = f"\nQ\n/Artifact BMC q {name} Do Q EMC\n".encode()
        page.contents_add(pikepdf.Stream(pdf, drawing), prepend=False)


def main() -> None:
    command, template, output, *rest = sys.argv[1:]
    document = sys.stdin.buffer.read().decode("utf-8")
    if command == "typeset":
        Path(output).write_bytes(typeset(template, document, rest))
    elif command == "join":
        frames, *parts = rest
        joined = join([Path(path).read_bytes() for path in parts])
        lay_frames(joined, Path(frames).read_bytes())
        joined.save(output, object_stream_mode=pikepdf.ObjectStreamMode.generate)
    else:
        raise SystemExit(f"unknown command {command!r}")


if __name__ == "__main__":
    main()

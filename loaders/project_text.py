"""The links a project file declares, read from its own text beside MPXJ.

MPXJ drops some links without a word, and a schedule stored without them gives a wrong critical
path that nobody is told about:

* a link whose predecessor is not a task of the file (an MSPDI ``PredecessorUID``, a P6
  ``TASKPRED`` row or a PMXML ``Relationship`` naming an activity of another project, or one
  deleted by hand): MPXJ leaves it out, the loader warns by task;
* GanttProject: MPXJ 16 reads only the links of top-level tasks (14 of the 17 links of
  ``HouseBuildingSample.gan`` are lost), so the loader takes every ``<depend>`` of the file.

Each reading is bounded by the file itself (already within ``limits.max_file_mb``), parses XML
with defusedxml (the DOCTYPE was refused before) and never raises: a file it cannot follow
gives no link, and MPXJ's reading stands alone.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from defusedxml import ElementTree as SafeElementTree

#: GanttProject ``depend/@type``: 1 start-start, 2 finish-start, 3 finish-finish, 4 start-finish
_GAN_TYPES = {"1": "SS", "2": "FS", "3": "FF", "4": "SF"}


@dataclass(frozen=True)
class FileLink:
    """One link as the file's text declares it, by MPXJ's unique ids (the MSPDI ``UID``, the
    P6 ``task_id`` / ``ObjectId``, GanttProject's ``id`` + 1). ``shown`` names the predecessor
    in a message the way the file does."""

    successor: int
    predecessor: int
    shown: str
    kind: str = "FS"
    lag_days: float = 0.0


def links_to_absent_tasks(data: bytes, file_format: str) -> list[FileLink]:
    """The links of the file whose predecessor is not one of its tasks (MSPDI, XER, PMXML)."""
    try:
        if file_format == "xer":
            tasks, links = _xer(data)
        elif file_format == "mspdi":
            tasks, links = _mspdi(data)
        elif file_format == "pmxml":
            tasks, links = _pmxml(data)
        else:
            return []
    except Exception:  # a file this reading cannot follow: MPXJ's reading stands alone
        return []
    return [link for link in links if link.successor in tasks and link.predecessor not in tasks]


def ganttproject_links(data: bytes) -> list[FileLink] | None:
    """Every ``<depend>`` of a GanttProject file (``<depend id=X>`` inside task T: T comes
    before X; ``difference`` in days), or None when the file cannot be followed."""
    try:
        root = SafeElementTree.fromstring(data)
        links = []
        for task in root.iter("task"):
            own = _integer(task.get("id"))
            for depend in task.findall("depend"):
                other = _integer(depend.get("id"))
                if own is None or other is None:
                    continue
                links.append(
                    FileLink(
                        successor=other + 1,
                        predecessor=own + 1,
                        shown=str(own + 1),
                        kind=_GAN_TYPES.get(depend.get("type") or "2", "FS"),
                        lag_days=float(depend.get("difference") or 0),
                    )
                )
        return links
    except Exception:
        return None


def _integer(text: Any) -> int | None:
    try:
        return int(str(text).strip())
    except (TypeError, ValueError):
        return None


def _xer(data: bytes) -> tuple[set[int], list[FileLink]]:
    tasks: set[int] = set()
    links: list[FileLink] = []
    for table, row in _xer_rows(data):
        if table == b"TASK":
            unique = _integer(row.get(b"task_id", b"").decode("ascii", "replace"))
            if unique is not None:
                tasks.add(unique)
        elif table == b"TASKPRED":
            successor = _integer(row.get(b"task_id", b"").decode("ascii", "replace"))
            predecessor = _integer(row.get(b"pred_task_id", b"").decode("ascii", "replace"))
            if successor is not None and predecessor is not None:
                links.append(FileLink(successor, predecessor, f"task_id {predecessor}"))
    return tasks, links


def _xer_rows(data: bytes) -> Iterator[tuple[bytes, dict[bytes, bytes]]]:
    """The ``%R`` rows of an XER by table, as field name → value (tab-separated lines)."""
    table, fields = b"", []
    for line in data.split(b"\n"):
        cells = line.rstrip(b"\r").split(b"\t")
        if cells[0] == b"%T":
            table, fields = (cells[1] if len(cells) > 1 else b""), []
        elif cells[0] == b"%F":
            fields = cells[1:]
        elif cells[0] == b"%R" and table in (b"TASK", b"TASKPRED"):
            yield table, dict(zip(fields, cells[1:], strict=False))


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _mspdi(data: bytes) -> tuple[set[int], list[FileLink]]:
    root = SafeElementTree.fromstring(data)
    tasks: set[int] = set()
    links: list[FileLink] = []
    for element in root.iter():
        if _local(element.tag) != "Task":
            continue
        unique = None
        predecessors = []
        for child in element:
            name = _local(child.tag)
            if name == "UID":
                unique = _integer(child.text)
            elif name == "PredecessorLink":
                for part in child:
                    if _local(part.tag) == "PredecessorUID":
                        predecessors.append(_integer(part.text))
        if unique is None:
            continue
        tasks.add(unique)
        links.extend(
            FileLink(unique, other, f"UID {other}") for other in predecessors if other is not None
        )
    return tasks, links


def _pmxml(data: bytes) -> tuple[set[int], list[FileLink]]:
    root = SafeElementTree.fromstring(data)
    tasks: set[int] = set()
    links: list[FileLink] = []
    for element in root.iter():
        name = _local(element.tag)
        if name not in ("Activity", "Relationship"):
            continue
        values = {_local(child.tag): child.text for child in element}
        if name == "Activity":
            unique = _integer(values.get("ObjectId"))
            if unique is not None:
                tasks.add(unique)
            continue
        successor = _integer(values.get("SuccessorActivityObjectId"))
        predecessor = _integer(values.get("PredecessorActivityObjectId"))
        if successor is not None and predecessor is not None:
            links.append(FileLink(successor, predecessor, f"ObjectId {predecessor}"))
    return tasks, links

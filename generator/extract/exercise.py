"""Structure rule: exercise notes, a task answered by a code block, become one Q&A per key command line.

A task is a heading or list item that asks or instructs ("How do you list loaded kernel modules?",
"Q3: Create a user with a specific UID", "1. Remove the module foo"), or a lead-in right above the code
("Configure firewall:"); the answer is the command, often inside `<details>` or under a "Solution" label.
The question keeps the instance values (host names, users, files) as the task gives them: when the task
lists several items, each command goes to the item that names its values ("useradd -G sharegrp harry" to
"A user harry who belongs to sharegrp"). Checks the author runs afterwards (`cat`, `ls`, `... status`,
blocks under "Verify:") are not asked; several commands for one task are asked as its steps ("(step 2 of
3)"); output, configuration lines and here-documents are not commands. Other rules leave the task text
alone (a task is not a fact to recall).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Block, Document, Fact
from .answers import leaks
from .commands import EDITORS, arguments, command_lines, is_read_only, program

MAX_STEPS = 4  # more key commands for one task is a script: no card asks for it line by line
MAX_ANSWER_WORDS = 12
# A task named only by its text ("Which command: Back up the home folder?") is short and one sentence; a
# paragraph telling a story around its commands ("Rather than committing ..., use git stash") asks nothing.
MAX_TASK_WORDS = 16
_SENTENCES = re.compile(r"[.!?;]\s+\S|,\s+(?:rather|but|and then|so)\b", re.I)
SCORE = 0.85

_FENCE = re.compile(r"^[ \t]*(```|~~~)[^\n]*\n(.*?)^[ \t]*\1[ \t]*$", re.M | re.S)
_LABEL = re.compile(
    r"^[^\w/?]*(?:(?:q|question|task|exercise|lab|problem|step)\s*\d+[a-z]?\s*[:.)\-–—]|\d+[.)])\s*", re.I
)
_SOLUTION = re.compile(r"^[^\w]*(solutions?|answers?|show( (the )?(answer|solution))?|click to (reveal|show|expand)|"
                       r"hints?|reveal)\b", re.I)
_CHECK_LEAD = re.compile(r"^(for |to )?(verif|check|confirm|test|output|result|expected|sample output)|"
                         r"\blooks? like\b|\bshould (see|output|show|look)|\bfor example\b|^e\.g\b", re.I)
_CONTENT_LEAD = re.compile(r"\b(following|this|these) (content|lines?|entr(y|ies)|text)\b|^add$|^content$|"
                           r"\bmodify the line\b|^or\b|\balternativ|^(add|append|insert|content|paste)$", re.I)
_POINTER = re.compile(r"^(?:now\s+|then\s+|next,?\s+)?(?:run|type|execute|enter|use|issue|try)\b(?:\s+\S+){0,4}?\s+"
                      r"(?:the\s+)?(?:following|this|these|below|commands?)(?:\s+(?:commands?|below|line))?$", re.I)
_DOTTED = re.compile(r"\d\.\d|\w\.\w")
_TO_DO = re.compile(r"^(?:to|you can|you could|you may|one can|if you (?:want|need|wish) to)\s+(?P<task>.+?),?\s+"
                    r"(?:(?:you|we|one)\s+(?:can|could|may|should|need to)\s+)?(?:run|use|type|execute|enter|"
                    r"with|using|by running|by typing)(?:\s+(?:the\s+)?(?:following|this|these|below))?"
                    r"(?:\s+commands?)?$", re.I)
_CAN = re.compile(r"^(?:it|this|that|they|you)\s+(can|could|will|may)\s+(?P<rest>\S.{3,})$", re.I)
_FIRST_PERSON = re.compile(r"\b(i|we|let['’]?s|us|our|my)\b", re.I)  # "you" is the reader doing the task
_FINITE = re.compile(r"\b(is|are|was|were|should|must|has|have|will|can|shall|need|needs)\b", re.I)
_ARTICLE = re.compile(r"^(a|an|the|one|two|three|\d+)\s", re.I)
# Verbs an instruction starts with ("Create ...", "List ..."): the imperative of a task.
TASK_VERBS = frozenset("""
add allow append apply archive assign attach back backup block build change check clone commit compress
configure convert copy count create decompress define delete deploy describe disable display download
edit enable ensure execute expose extend extract find format generate get give grant grep identify
import inspect install kill label launch limit list load locate lock log login make map modify monitor
mount move open persist print pull push put reboot redirect register reload remove rename replace
reset resize restart restore revoke rollback rotate run save scale schedule search secure set setup
show sort start stop switch tag test uninstall unload unlock unmount update upgrade use verify view
write insert join link merge shut boot prevent protect provide query read recover
see clear discard drop pop stash undo revert fetch compare ignore
""".split())
QUERY_VERBS = frozenset(
    "list show display check view print get describe verify count query identify read see find".split())


@dataclass(frozen=True, slots=True)
class _Unit:
    text: str  # one sentence or item of a task, as written
    ask: str  # the question it becomes ("" when it cannot be asked alone)
    block: Block


def exercise(doc: Document) -> list[Fact]:
    """Q&A facts: a task's question, answered by one key command line of its code block."""
    return list(_analyse(doc.blocks)[0])


def task_blocks(doc: Document) -> frozenset[int]:
    """ids of the blocks that state a task answered by a command (no other rule cards them)."""
    return _analyse(doc.blocks)[1]


def _analyse(blocks: tuple[Block, ...]) -> tuple[tuple[Fact, ...], frozenset[int]]:
    used: set[int] = set()
    sections: dict[tuple[str, ...], tuple[str, list[_Unit]]] = {}
    # question -> its key command lines, in order, across the code blocks of its section
    steps: dict[tuple[tuple[str, ...], str], list[tuple[str, Block]]] = {}
    for i, block in enumerate(blocks):
        if block.kind == "code":
            codes = [block.text]
        elif block.kind == "html" and ("```" in block.text or "~~~" in block.text):
            codes = [m.group(2) for m in _FENCE.finditer(block.text)]
        else:
            continue
        for code in codes:
            lines = command_lines(code)
            found = _lead(blocks, i)
            if found is None:
                continue  # a check, an alternative or content to paste: not a task's answer
            lead, lead_block = found
            if block.section not in sections:
                sections[block.section] = _section_task(blocks, i)
            task, units = sections[block.section]
            # "### Exercise 3: TCP on port > 3000" over `tcp.port > 3000`: a labelled exercise whose code is its
            # whole answer: a filter or a query as much as a command.
            labelled = not lead and not units and bool(task) and bool(_LABEL.match(task))
            if labelled and not lines:
                lines = _answer_lines(code)
            if not lines:
                continue
            asked = [(cmd, _question(cmd, comment, lead, task, units)) for cmd, comment, _ in lines]
            expression = labelled and not command_lines(code)  # a filter or a query, not a shell command
            if expression:
                asked = [(cmd, (f"Which expression: {_clean(task)}?", None)) for cmd, _c, _p in lines]
            query = expression or any(_is_query(q) for _, (q, _u) in asked if q)
            for cmd, (q, unit) in asked:
                if not q or (is_read_only(cmd) and not query) or (program(cmd) in EDITORS and not unit and
                                                                    len(lines) > 1 and not _names_file(cmd, q)):
                    continue
                steps.setdefault((block.section, q), []).append((cmd, block))
                used.update(id(u.block) for u in units)
                used.update(id(b) for b in (unit.block if unit else None, lead_block) if b is not None)
    return tuple(_facts(steps)), frozenset(used)


def _answer_lines(code: str) -> list[tuple[str, str, bool]]:
    """The one or two short lines of a code block that answers a labelled exercise, as command lines."""
    rows = [" ".join(ln.split()) for ln in code.split("\n") if ln.strip() and not ln.strip().startswith("#")]
    if not 0 < len(rows) <= 2 or any(len(r) > 80 for r in rows):
        return []
    return [(r, "", False) for r in rows]


def _facts(steps: dict[tuple[tuple[str, ...], str], list[tuple[str, Block]]]) -> list[Fact]:
    """One Q&A per key command line; several lines for one question are its numbered steps."""
    facts: list[Fact] = []
    for (_section, q), cmds in steps.items():
        cmds = list(dict.fromkeys(cmds))  # a line repeated in a later block is one step
        if len(cmds) > MAX_STEPS:
            cmds = _naming_the_task(q, cmds)  # a script: only the lines the task's own words name
            if not cmds or len(cmds) > MAX_STEPS:
                continue
        for k, (cmd, block) in enumerate(cmds, 1):
            text = q if len(cmds) == 1 else f"{q[:-1]} (step {k} of {len(cmds)})?"
            answer = _short(cmd)
            if answer and not leaks(answer, text):
                facts.append(Fact(rule="exercise", kind="qa", text=text, term=program(cmd), score=SCORE,
                                  block=block, sentence=cmd, line=_line_of(block, cmd), answer=answer))
    return facts


def _naming_the_task(question: str, cmds: list[tuple[str, Block]]) -> list[tuple[str, Block]]:
    """The lines of a long script whose program or options share a word with the task ("change the tuning
    profile" names `tuned-adm profile virtual-guest`, not `dnf install tuned`)."""
    words = set(re.findall(r"[a-z]{4,}", question.lower())) - {"with", "that", "this", "from", "into"}

    def names(cmd: str) -> bool:  # "time zone" names `timedatectl set-timezone`: a word opens or ends one of its
        own = re.findall(r"[a-z]{4,}", " ".join(cmd.split()[:3]).lower())
        return any(o.startswith(w) or o.endswith(w) for o in own for w in words)

    return [(cmd, block) for cmd, block in cmds if names(cmd)]


def _lead(blocks: tuple[Block, ...], i: int) -> tuple[str, Block | None] | None:
    """The lead-in right above a code block ("" when there is none), or None when the code is a check."""
    for j in range(i - 1, -1, -1):
        b = blocks[j]
        if b.kind in ("html", "code") or (b.kind in ("paragraph", "heading") and _is_solution_label(b.text)):
            continue
        if b.kind == "heading":
            return "", None
        if b.kind not in ("paragraph", "list_item") or b.section != blocks[i].section:
            return "", None
        text = (b.sentences[-1].text if b.sentences else b.text).strip()  # the sentence that leads in
        if text.endswith(":"):
            bare = text.rstrip(":").strip()
            if _CHECK_LEAD.search(bare) or _CONTENT_LEAD.search(bare):
                return None
            if _POINTER.match(bare):
                return "", None  # "Run the following command": the task is the section's
            return bare, b
        if _ask(text):
            return text, b
        return "", None
    return "", None


def _is_solution_label(text: str) -> bool:
    return len(text.split()) <= 6 and bool(_SOLUTION.match(text.strip()))


def _section_task(blocks: tuple[Block, ...], i: int) -> tuple[str, list[_Unit]]:
    """The section's task (its heading, or its one lead-in) and its sentences and items, for matching."""
    section = blocks[i].section
    start = next((j for j in range(i - 1, -1, -1) if blocks[j].kind == "heading"
                  and blocks[j].section + (blocks[j].text,) == section), -1)
    heading = blocks[start].text if start >= 0 else ""
    units: list[_Unit] = []
    leads: list[str] = []
    lead_of: dict[int, str] = {}  # list id -> the imperative lead-in naming its items
    for b in blocks[start + 1 : i]:
        if b.kind in ("html", "code", "heading"):
            break
        if b.kind == "paragraph" and b.text.strip().endswith(":"):
            if _POINTER.match(b.text.strip().rstrip(":")):
                continue  # "Run the following command:" names no task
            leads.append(b.text.strip().rstrip(":"))
            units.append(_Unit(leads[-1], _ask(leads[-1]), b))
            continue
        if b.kind == "list_item":
            if b.list_id not in lead_of:
                lead_of[b.list_id] = leads[-1] if leads else heading
            units.append(_Unit(b.text, _ask_item(b.text, lead_of[b.list_id]), b))
        elif b.kind == "paragraph":
            units.extend(_Unit(s.text, _ask(s.text), b) for s in b.sentences)
    task = ""
    for candidate in (heading, *leads, *(u.text for u in units if u.block.kind == "paragraph")):
        if _ask(candidate):
            task = candidate
            break
    if not task and heading and _LABEL.match(heading):
        task = heading  # "Q3: Managing users": an exercise, even if its title is a noun phrase
    return task, units


def _question(cmd: str, comment: str, lead: str, task: str, units: list[_Unit]) -> tuple[str, _Unit | None]:
    """The question a command line answers, and the task item it was matched to."""
    unit, unique = _matching_unit(cmd, units)
    if lead and _TO_DO.match(_clean(lead)):  # "To see all volumes, run:" right above: it says what this one does
        q = _ask(lead)
        if q:
            return q, unit
    if unit is not None and unique and unit.ask:
        return unit.ask, unit
    for instruction in (comment, lead):
        q = _ask(instruction) if len(_clean(instruction).split()) >= 2 else ""
        if q:
            return q, unit
    if unit is not None and unit.ask:
        return unit.ask, unit
    if unit is not None and len(unit.text.split()) <= MAX_TASK_WORDS and not _SENTENCES.search(unit.text) \
            and not _CHECK_LEAD.search(unit.text):
        return f"Which command: {_clean(unit.text).rstrip('.?')}?", unit
    if lead:
        return "", None  # the lead-in explains something else ("so we have to run this with sudo:")
    short = task and len(task.split()) <= MAX_TASK_WORDS and not _SENTENCES.search(task)
    q = _ask(task) or (f"Which command: {_clean(task)}?" if short else "")
    return q, None


def _matching_unit(cmd: str, units: list[_Unit]) -> tuple[_Unit | None, bool]:
    """The task item that names most of the command's values (the first of a tie), and whether it is alone."""
    values = [v for v in arguments(cmd) if len(v) >= 2]
    name = program(cmd)
    best: tuple[float, _Unit] | None = None
    unique = False
    for unit in units:
        low = unit.text.lower()
        score = sum(1.0 for v in values if _names(low, v.lower()))
        if len(name) >= 5 and any(w.startswith(name[:5]) for w in re.findall(r"[a-z]+", low)):
            score += 0.5  # "passwd" and "password", "groupadd" and "group"
        if score < 1:
            continue
        if best is None or score > best[0]:
            best, unique = (score, unit), True
        elif score == best[0]:
            unique = False
    return (best[1], unique) if best else (None, False)


def _names(text: str, value: str) -> bool:
    """Whether `text` names `value` (or the address of "172.25.250.10/24"), as a whole word: no letter,
    digit or dot right before it, no letter or digit right after."""
    parts = {value, value.rstrip("/")}
    head = re.split(r"[/:]", value)[0]
    if _DOTTED.search(head):
        parts.add(head)  # an address or host name with its prefix length or path
    for part in parts:
        if len(part) < 2:
            continue
        at = text.find(part)
        while at >= 0:
            before = text[at - 1] if at else " "
            end = at + len(part)
            after = text[end] if end < len(text) else " "
            if not (before.isalnum() or before in "._") and not (after.isalnum() or after == "_"):
                return True
            at = text.find(part, at + 1)
    return False


def _names_file(cmd: str, question: str) -> bool:
    return any(v in question for v in arguments(cmd))


def _clean(text: str) -> str:
    """A heading or item without its label ("🎯 Q3:", "1.") and trailing punctuation."""
    return _LABEL.sub("", text.strip()).strip().rstrip(".:;")


def _ask(instruction: str) -> str:
    """An instruction as a question ("Create a user fred" -> "How do you create a user fred?"), or ""."""
    s = _clean(instruction)
    if not s or _FIRST_PERSON.search(s) or len(s.split()) > 30:
        return ""
    if s.endswith("?"):
        return s if not re.match(r"^(is|are|does|do|can|should)\b", s, re.I) else ""
    first = s.split()[0].lower().strip(",")
    if first in TASK_VERBS:
        return f"How do you {_lower_first(s)}?"
    m = _TO_DO.match(s)  # "To list the loaded modules, run" / "You can list the loaded modules with"
    if m:
        task = m.group("task")
        # "To test this, run": the task points back at something; "To remove a stash without applying it" names it
        pointing = len(task.split()) <= 3 and re.search(r"\b(this|that|it|them|these|those)$", task, re.I)
        return f"How do you {task}?" if task.split()[0].lower() in TASK_VERBS and not pointing else ""
    m = _CAN.match(s)
    if m:
        return f"Which command {m.group(1).lower()} {m.group('rest')}?"
    return ""


def _ask_item(item: str, lead: str) -> str:
    """A list item of a task as a question: itself when it instructs, else the lead's verb with the item."""
    asked = _ask(item)
    if asked:
        return asked
    verb = _clean(lead).split()[0].lower() if _ask(lead) and _clean(lead) else ""
    s = _clean(item)
    if verb and verb in TASK_VERBS and not _FINITE.search(s) and _ARTICLE.match(s):
        return f"How do you {verb} {_lower_first(s)}?"
    return ""


def _is_query(question: str) -> bool:
    words = question.split()
    return (len(words) > 3 and words[:3] == ["How", "do", "you"] and words[3] in QUERY_VERBS) or \
        question.lower().startswith(("how do you list", "which command shows", "which command lists"))


def _lower_first(s: str) -> str:
    first = s.split()[0]
    return s if (first.isupper() and len(first) > 1) or any(c.isupper() for c in first[1:]) else s[0].lower() + s[1:]


def _short(cmd: str) -> str:
    """The answer: the command and its options; long values as "…" when the whole line is too long."""
    if len(re.findall(r"[A-Za-z0-9]+", cmd)) <= MAX_ANSWER_WORDS:
        return cmd
    words = cmd.split()
    out = words[:1]
    for w in words[1:]:
        out.append("…" if not w.startswith("-") and (re.search(r"[/@:]", w) or re.fullmatch(r"[\d.,]+", w)) else w)
    short = " ".join(out)
    return short if len(re.findall(r"[A-Za-z0-9]+", short)) <= MAX_ANSWER_WORDS else ""


def _line_of(block: Block, cmd: str) -> int:
    """The source line of a command in its code block (the fence line is the block's first)."""
    offset = 1 if block.kind == "code" else 0
    for k, ln in enumerate(block.text.split("\n")):
        if cmd.split()[0] in ln and " ".join(ln.split()).endswith(cmd.split()[-1]):
            return block.line + k + offset
    return block.line

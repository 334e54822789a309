"""Page roles: what a block or sentence is doing on the page, before any rule asks what it says.

Real input is a web page pasted from the browser or a page of study notes. Beside the subject matter it
holds navigation and breadcrumbs, a table of contents, bylines and dates, share and subscribe blocks,
notes about the page itself, the test centre's procedure and the author's own story. Each role is named
by the shape, position and kind of words of a block or sentence, never by one article's wording, and a
role never silences more than the block or sentence that has it: a word in a title or heading never drops
a whole article.

`block_role(block, doc)` and `sentence_role(sentence)` give the role's reason in words a user reads
(`certdeck explain` shows it), or "" for subject content.
"""

from __future__ import annotations

import re

from ..memo import article_cache
from ..model import Block, Document
from ..text import normalize, strip_shortcodes
from .structure import memo_by_identity

# "Home > Docs > Tasks > Configure": three or more crumbs joined by a path separator.
_BREADCRUMB = re.compile(r"^[^>›»/|\n]{1,60}(?:\s(?:>|›|»|/)\s[^>›»/|\n]{1,60}){2,}$")
_BYLINE = re.compile(
    r"^(?:posted|written|published|updated|last (?:updated|modified|reviewed)|reviewed|edited)\b"
    r"(?:\s+(?:by|on|at)\b)?|\b\d+\s*(?:-\s*)?min(?:ute)?s?\s+read\b|^by\s+[A-Z][\w.'’-]+(?:\s+[A-Z][\w.'’-]+){0,3}"
    r"\s*(?:[|,·•—–-]|$)|\bread(?:ing)? time\b",
    re.I,
)
# A printed guideline's running header: "REVISED: 04-01-25 SUPERSEDES: 07-01-23", "EFFECTIVE DATE:", "PAGE 2 OF 9".
_DOCUMENT_HEADER = re.compile(
    r"\b(?:effective date|revised|supersedes)\s*:|\b(?:reference|ref\.) no\.?\s*:?\s*\d|\bpage \d+ of \d+\b", re.I)
_HEADER_NEEDLES = ("effective", "revised", "supersedes", "reference", "ref.", "page ")
_MONTH = (r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|"
          r"oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)")
_DATE = re.compile(
    rf"(?:\b\d{{4}}[-/. ]\d{{2}}[-/. ]\d{{2}}\b|\b{_MONTH}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}\b|"
    rf"\b\d{{1,2}}\s+{_MONTH}\.?,?\s+\d{{4}}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{2,4}}\b)",
    re.I,
)
_FOOTER = re.compile(
    r"(?:©|\(c\)\s*\d{4}|\bcopyright\b|\ball rights reserved\b|\bpowered by\b|\bmade with\b|\btheme by\b|"
    r"\bbuy me a coffee\b|\bthanks? (?:you )?for reading\b|\bgood luck\b|\bhappy (?:studying|learning)\b|"
    r"\bbest of luck\b|\bleave a (?:comment|reply)\b|\bshare (?:this|on)\b|\bfollow (?:me|us)\b|"
    r"\b(?:sign up|subscribe)\b|\bnewsletter\b|\brelated (?:posts?|articles?)\b|\bprevious post\b|"
    r"\bnext post\b|\bback to top\b|\bskip to (?:main )?content\b|\btable of contents\b|\bon this page\b|"
    r"\bedit this page\b|\b(?:we|this site|the site) uses? cookies\b|\bcookie (?:policy|settings|preferences|banner)\b|"
    r"\baccept (?:all )?cookies\b|\bprivacy policy\b|\bterms of (?:use|service)\b)",
    re.I,
)
# Notes about the page itself rather than its subject ("Original article here", "Full content below").
_PAGE_NOTE = re.compile(
    r"\b(?:(?:this|the)(?: study| following| present)? (?:article|post|page|blog|site|guide|tutorial|video|newsletter|"
    r"series|document|handout|sheet)\s+"
    r"(?:is|was|were|has been|will|covers|explains|describes|contains|walks|shows|lists|summari[sz]es|"
    r"gives|provides|offers|goes|helps|aims)\b|original(?:ly)? (?:article|post|published)|full "
    r"(?:content|article|post) (?:below|here)|continue reading|read the (?:full|original)|"
    r"in (?:this|the next|the previous|today['’]s) (?:article|post|video|section|guide|lesson|tutorial)|"
    r"(?:below|above) (?:is|are) (?:my|some|the)\b|click (?:here|the link)|link (?:below|above)|"
    r"(?:see|check out) (?:my|our|the) (?:other|previous|next)|let me know|feel free to|"
    r"^(?:many )?thanks to\b|^(?:special )?thank you to\b|^(?:image|figure|photo|ecg|illustration)s? courtesy of\b|"
    r"i hope (?:this|it|my)|hope (?:this|it) helps|(?:comments?|questions?) below|"
    r"^(?:created|adapted|taken|copied|summari[sz]ed) (?:/ \w+ )?from\b|^sources?:|"
    r"^(?:for (?:an? )?(?:more |further |additional |practical |detailed |complete |full )*(?:information|details|"
    r"pricing|examples?|explanation|walkthrough|tutorial)\b[^,]*,\s*)?(?:see|refer to|"
    r"visit|check out|go to)\s|^to \w+[^,]{0,60},\s*(?:see|refer to|read|consult|follow)\s|"
    r"\b(?:see|refer to|consult) (?:the )?[\w -]{1,40} (?:section|chapter|page|appendix|table|protocol|guide)\b)",
    re.I,
)
# "1007 N Boulder Ct.", "250 Main Street, Suite 4": a business's address in a page's footer.
_ADDRESS = re.compile(r"^\W*\d{1,6}\s+(?:[NSEW]\.?\s+)?(?:[A-Z][\w'-]*\s+){1,4}(?:St|Street|Ave|Avenue|Ct|Court|Rd|"
                      r"Road|Blvd|Boulevard|Dr|Drive|Ln|Lane|Way|Pl|Place|Pkwy|Hwy|Highway|Suite)\b\.?"
                      r"(?=,|\s*$|\s+(?:Suite|Ste|#|\d))")
# "50 Questions with Answers", "50 TypeScript concepts for interviews": the page counting what it holds.
_PAGE_COUNT = re.compile(r"(?:^|[—–|:]\s*)\W*\d+\+?\s+(?:[\w-]+\s+){0,3}(?:questions|concepts|tips|flashcards|cards|"
                         r"terms|"
                         r"exercises|problems|practice tests?)\b", re.I)
# "Tags: #typescript", "Difficulty: Medium", "Time to review: 25 minutes": a card's or page's metadata.
_METADATA = re.compile(
    r"^\W*(?:tags?|keywords|difficulty|level|categor(?:y|ies)|(?:estimated |reading |review )time|"
    r"time to (?:read|review|complete)|best for|audience|prerequisites?|last (?:updated|reviewed|modified)|"
    r"permalink|aliases|topics?|module|reference|course|author|created|subject)\s*:\s*\S",
    re.I)
# The test centre's procedure on the day, not the subject: what to bring, check-in, breaks, the room.
_LOGISTICS = re.compile(
    r"\b(?:test(?:ing)?[- ]cent(?:er|re)s?|exam (?:room|cent(?:er|re)|day)|check[- ]in|proctor(?:ed|s)?|"
    r"examiners?|invigilators?|lockers?|pockets|belongings|personal items|scratch paper|whiteboards?|"
    r"erasable|earplugs|(?:photo|government[- ]issued|valid|two forms of|forms? of) (?:id|identification)|"
    r"webcam|restroom|bathroom|(?:unscheduled |scheduled )?breaks?\b(?= (?:during|between|are|is|of)\b)|"
    r"(?:cell ?)?phones?|smart ?watch(?:es)?|wrist ?watch(?:es)?|arrive (?:at least )?\d+ minutes|"
    r"(?:re)?schedul(?:e|ing) (?:your|the|an) (?:exam|test)|exam vouchers?|pearson vue|prometric|"
    r"online proctoring|the tutorial|"
    r"(?:official )?(?:results?|scores?) (?:will be |are |is |get )?(?:processed|emailed|mailed|released|posted)|"
    r"provisional(?:ly)? pass(?:ed|ing)?|\"?provisional\"? (?:pass(?:ing)? )?result|score report)\b",
    re.I,
)
# The author's own story and plan: first person singular. ("We" is often the textbook's voice.)
_FIRST_PERSON = re.compile(r"(?<![\w'’-])(?:i|i['’](?:m|ve|d|ll)|me|my|mine|myself)(?![\w'’-])", re.I)
_VOCATIVE = re.compile(r",?\s*\bmy (?:friends?|dear \w+|fellow \w+)\b,?", re.I)  # "Trust, my friends, is"
# Study advice about the exam rather than its subject: preparing, practising, passing.
_STUDY_TALK = re.compile(
    r"\b(?:(?:studying|studied|prepared|preparing|cramming) for|study (?:plan|guide|material|session|schedule|"
    r"group|routine|tips)s?|practice (?:tests?|exams?)|mock (?:tests?|exams?)|brain ?dumps?|"
    r"(?:passed|passing|pass) (?:the|this|my|your) (?:exam|test|certification)|exam tips?|"
    r"(?:video|online|training|prep) courses?|udemy|youtube|cheat ?sheets?|memori[sz]e (?:it|them|this|these)|"
    r"exam[- ]ready|ready for the (?:exam|test)|aim for (?:≥|>=|at least|a score|\d)|"
    # how to sit the exam: which questions to answer first, which to leave
    r"questions? first|(?:harder|easier|difficult|remaining|unanswered|flagged|high[- ]points?) questions?|"
    r"(?:flag|skip|mark) (?:the |a |those |any )?questions?|leave (?:any )?(?:questions? )?unanswered|"
    # which resource helped and how hard the exam felt: the author's verdicts, not the subject
    r"(?:blog|course|book|video|channel|resources?|write-?ups?)['’]?s?\b[^.]{0,40}\b(?:is|are|was|were) (?:also )?"
    r"(?:very |really |super |extremely )?(?:useful|helpful|great|recommended|valuable)|"
    r"(?:not )?(?:a )?(?:very |really )?(?:challenging|difficult|hard|easy|tough) (?:exam|test|certification))\b",
    re.I,
)
# The page talking about itself: its examples, sections and code, not the subject they show.
_SELF_REFERENCE = re.compile(
    r"\b(?:(?:the|this|these|previous|following|next|earlier|last|above|below) (?:examples?|sections?|"
    r"code (?:samples?|snippets?|listings?)|snippets?|listings?|figures?|chapters?)|"
    r"as (?:shown|seen|mentioned|described|discussed|explained) (?:above|below|earlier|before|previously)|"
    r"(?:just|only) (?:there )?(?:as|for) (?:an )?(?:example|illustration)|"
    r"(?:more|additional|further) (?:information|details|reading) (?:on|about|can)\b.{0,80}\b(?:found|see|visit))\b",
    re.I,
)
# An answer's explanation of why the other options of a multiple-choice question are wrong.
_DISTRACTOR = re.compile(
    r"\b(?:option|choice) (?-i:[A-E])\b|\bthe other (?:options|commands|answers|choices)\b|\b(?:does|do) not exist\b|"
    r"\bwon['’]t help\b",
    re.I,
)
# "If a mixture is 1 %w/w, how many mg are required ...": a problem to solve, asked in a question's words.
_PROBLEM = re.compile(
    r"^(?:if|given|assuming|suppose)\b[^,]{3,120},\s*"
    r"(?:how (?:many|much|long|far|often)|what (?:is|are|was|will be) the)\b",
    re.I)
# "Passionate programmer, open source enthusiast, and avid learner": the author's profile, on every post.
_BIO = re.compile(
    r"\b(?:enthusiast|avid (?:learner|reader|runner|gamer)|lifelong learner|passionate (?:about|programmer|"
    r"developer|engineer|learner)|(?:coffee|tea|dog|cat) (?:lover|addict)|proud (?:dad|mom|father|mother))\b",
    re.I,
)
_BIO_NEEDLES = ("enthusiast", "avid ", "lifelong", "passionate", "lover", "addict", "proud ")
# "Here are the steps to ...:": the line that introduces a list or block, not a fact of its own.
_LEAD_IN = re.compile(r"^(?:here (?:are|is)|below (?:are|is)|the following (?:are|is)\b)", re.I)
_EXAMPLE_LABEL = re.compile(r"^\W*(?:worked |for )?example\s*\d*\s*[:.–-]", re.I)
# "Know the symptoms of ...", "Make sure you understand ...": what to study, not what is true.
_STUDY_ORDER = re.compile(r"^(?:know|learn|memori[sz]e|revise|study|be (?:familiar|comfortable) with|"
                          r"make sure (?:you|to)|focus on|don['’]t forget to|"
                          r"be sure to (?:know|review|learn|get|understand|read))\b", re.I)
_SHORT_LINE_WORDS = 6
_EXAMPLE = re.compile(
    r"^(?:in (?:this|that|the following|our|my) (?:example|scenario)|"
    r"suppose|say (?:you|that)|imagine|consider (?:a|an|the following)|let['’]s say|"
    r"(?:a|an|your) (?:company|team|user|developer|customer|client|organi[sz]ation|business|patient|nurse|"
    r"technician|administrator|engineer|manager|student|employee)\s+(?:wants|needs|notices|has|is planning|is "
    r"asked|asks|reports|plans|must decide|is using))\b",
    re.I,
)
# A question's case: "A 58-year-old man is admitted ...", "Mr. Nguyen, age 71, ...", "His vital signs are ...".
_VIGNETTE = re.compile(
    r"^(?:(?:a|an|the)\s+(?:\w+\s+)?\d{1,3}-year-old\b|(?:mr|mrs|ms|miss)\.?\s+[A-Z][\w'-]+,?\s+(?:age|aged)?\s*\d"
    r"|(?:his|her|their) (?:vital signs|blood pressure|labs?|lab values) (?:are|is|were|was|show)\b"
    r"|(?:a|an|the) (?:nurse practitioner|nurse|patient|client|physician|provider|resident)\s+(?:is caring for|"
    r"is treating|is providing|is conducting|notes that|is admitted|is prescribed|has a history of|is being seen|"
    r"presents with)\b)", re.I)
# A graded quiz's scoring lines: "1 out of 1 points", "Attempt Score: 98 out of 100 points", "Due Date: 1/13/20".
_QUIZ_SCORE = re.compile(r"^\W*(?:\d+(?:\.\d+)? out of \d+(?:\.\d+)? points?\W*$|(?:attempt )?score\s*:|"
                         r"(?:submitted|due date|attempt|time elapsed)\s*:)", re.I)
_CLOCK = re.compile(r"\b(?:at\s+)?\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?\b", re.I)  # "29 April 2025 at 13:00"
_QUOTED = re.compile(r"^[\"“‘'][^\"”]{3,200}[\"”’'][^A-Za-z]*(?:\(\w+\))?[.]?$")
_OUTLINE = re.compile(r"^\s*(?:\d+(?:\.\d+)+|[ivx]+\.|[A-Z]\.|(?:domain|task|step|part|module|unit|lesson|"
                      r"chapter|section|objective|phase)\s+\d+[\d.]*)\s*[:.)-]?\s*$", re.I)


_QUOTATION = re.compile(r"[“\"][^”\"]{0,300}[”\"]")


_ASIDE = re.compile(r"\([^()]{0,200}\)")


def _unquoted(sentence: str) -> str:
    """The author's own words in the sentence itself: quoted speech ("I deserved it"), asides in parentheses
    ("(my favourite flag)") and vocatives ("my friends") taken out."""
    return _VOCATIVE.sub("", _ASIDE.sub("", _QUOTATION.sub("", sentence)))


# Words every match of a pattern holds (lower case): a sentence holding none of them is not scanned by it.
# Most sentences hold none, and these patterns are long alternations (tests/test_roles_speed.py checks
# each needle list against its pattern's matches on made-up lines).
_BYLINE_NEEDLES = ("posted", "written", "published", "updated", "modified", "reviewed", "edited", "read", "by ")
_FOOTER_NEEDLES = ("©", "(c)", "copyright", "rights reserved", "powered by", "made with", "theme by", "coffee",
                   "for reading", "good luck", "happy ", "best of luck", "leave a", "share ", "follow ", "sign up",
                   "subscribe", "newsletter", "related ", "previous post", "next post", "back to top", "skip to",
                   "table of contents", "on this page", "edit this page", "cookie", "privacy policy", "terms of")
_PAGE_NOTE_NEEDLES = ("this ", "the ", "original", "full ", "continue reading", "read the", "in ", "below",
                      "above", "click", "link", "see ", "check out", "let me", "feel free", "hope", "comments",
                      "questions", "for ", "refer to", "visit", "go to", "from", "source", "consult", "thank",
                      "courtesy")
_LOGISTICS_NEEDLES = ("test", "exam", "check", "proctor", "examiner", "invigilator", "locker", "pocket",
                      "belonging", "personal item", "scratch", "whiteboard", "erasable", "earplug", " id",
                      "identification", "webcam", "restroom", "bathroom", "break", "phone", "watch",
                      "arrive", "schedul", "voucher", "pearson", "prometric", "tutorial", "result", "score",
                      "provisional")
_STUDY_NEEDLES = ("stud", "prepar", "cram", "practice", "mock", "dump", "flash", "pass", "exam tip", "course",
                  "udemy", "youtube", "cheat", "memori", "ready", "aim for", "question", "unanswered", "blog",
                  "book", "video", "channel", "resource", "write", "exam", "test", "certification")
_SELF_REFERENCE_NEEDLES = ("example", "section", "code", "snippet", "listing", "figure", "chapter", "illustration",
                           "above", "below", "earlier", "before", "previously", "information", "details", "reading")
_DISTRACTOR_NEEDLES = ("option", "other", "not exist", "won")


def _has(low: str, needles: tuple[str, ...]) -> bool:
    return any(map(low.__contains__, needles))  # map: the loop runs in C


def sentence_role(sentence: str) -> str:
    """Why a sentence is not subject content, or "" when it may be."""
    return _sentence_role(sentence)


@article_cache(1 << 12)
def _sentence_role(sentence: str) -> str:
    s = sentence.strip()
    s = strip_shortcodes(s)
    if not s:
        return ""
    low = s.lower()
    if _BREADCRUMB.match(s):
        return "page furniture: navigation breadcrumb"
    if _has(low, _HEADER_NEEDLES) and _DOCUMENT_HEADER.search(s):
        return "page furniture: a document's header (revision, effective date, page number)"
    if _has(low, _BYLINE_NEEDLES) and _BYLINE.search(s) and len(s.split()) <= 20:
        return "page furniture: byline or read time"
    if _has(low, _FOOTER_NEEDLES) and _FOOTER.search(s):
        return "page furniture: footer, share or subscribe line"
    if _has(low, _PAGE_NOTE_NEEDLES) and _PAGE_NOTE.search(s):
        return "about the page, not the subject"
    if _FIRST_PERSON.search(_unquoted(s)):
        return "the author's own story or plan (first person)"
    if _has(low, _LOGISTICS_NEEDLES) and _LOGISTICS.search(s):
        return "test-day procedure, not exam content"
    if (_has(low, _STUDY_NEEDLES) and _STUDY_TALK.search(s)) or _STUDY_ORDER.match(s):
        return "study advice, not exam content"
    if _OUTLINE.match(s):
        return "outline label"
    if _ADDRESS.match(s):
        return "page furniture: a street address"
    if _PAGE_COUNT.search(s):
        return "about the page (how many questions or concepts it holds), not the subject"
    if _METADATA.match(s):
        return "page furniture: metadata (tags, difficulty, time to read)"
    if _EXAMPLE.match(s) or _EXAMPLE_LABEL.match(s):
        return "a worked example or scenario, not the rule it illustrates"
    if _VIGNETTE.match(s):
        return "a question's case (a patient or person), not the rule it tests"
    if _QUIZ_SCORE.match(s):
        return "a graded quiz's scoring line, not exam content"
    if "," in s and _PROBLEM.match(s):
        return "a practice problem's wording, not a fact"
    if _has(low, _BIO_NEEDLES) and _BIO.search(s):
        return "about the author (a short biography)"
    if low.startswith(("here ", "below ", "the following ")) and _LEAD_IN.match(s):
        return "a lead-in to what follows, not a fact of its own"
    if _has(low, _SELF_REFERENCE_NEEDLES) and _SELF_REFERENCE.search(s):
        return "about the page's own examples or sections, not the subject"
    if _has(low, _DISTRACTOR_NEEDLES) and _DISTRACTOR.search(s):
        return "why a wrong option is wrong (a quiz answer's explanation), not a fact"
    if _QUOTED.match(s):
        return "a quotation or slogan"
    words = s.split()
    if len(words) <= 7 and _DATE.search(s) and len(_CLOCK.sub("", _DATE.sub("", s)).split()) <= 3:
        return "page furniture: date line"
    return ""


def block_role(block: Block, doc: Document) -> str:
    """Why a whole block is not subject content, or "" when it may be (its sentences are asked one by one)."""
    return _block_roles(doc.blocks).get(id(block), "") or _section_role(block.section[1:])


# Sections about preparing for and sitting the exam, or about the author: the innermost heading names them.
# The article's own title (the first heading) is never read here: it would silence the whole article.
_META_SECTION = re.compile(
    r"\b(?:prepar(?:e|ing|ation) for (?:the |my |your )?(?:exam|test|certification|d-day|[A-Z]{2,})|"
    r"study (?:plan|schedule|tips|resources|materials|guide)s?|how i (?:passed|prepared|studied)|"
    r"my (?:experience|journey|story|background|results?|score|preparation)|(?:exam|test)[- ]day|"
    r"day of the (?:exam|test)|what to (?:bring|expect on)|why i (?:did|took|chose)|best way to prepare|"
    r"analog(?:y|ies)|metaphor|fun facts?|anecdotes?|screenshots?|submission|how to submit|deliverables?)\b|"
    r"^(?:day|week) \d+\b",
    re.I,
)
# Headings that are only a label for a part of the page that is not the subject.
_META_LABEL = re.compile(
    r"^(?:(?:(?:recommended|useful|additional|learning|study|other|more) )?(?:resources|links|reading)|"
    r"references|further reading|see also|(?:basic |my )?stats|registration|scheduling|acknowledg(?:e)?ments?|"
    r"(?:final|closing) thoughts|conclusion|wrap[- ]up|about (?:me|the author)|comments?|"
    r"related (?:posts|articles)|share this|instructions|how to use (?:this|these)(?: \w+)?|"
    r"you (?:may|might) also (?:like|enjoy)|(?:more|recent|popular|latest|similar|other) (?:posts|articles|stories)|"
    r"read next|up next|keep reading)$",
    re.I,
)


def _section_role(section: tuple[str, ...]) -> str:
    if section and (_META_SECTION.search(section[-1]) or _META_LABEL.match(section[-1].strip(" :#"))):
        return f"a section about the exam, the author, the site or an analogy, not the subject (\"{section[-1]}\")"
    return ""


# Every rule's facts ask for their block's role: 13,700 hits for 101 misses on 100 articles; without the
# memo_by_identity memos the 100-article build took 14.8 s of CPU against 4.9 s (bench/, 2026-12-07).
@memo_by_identity(8)
def _block_roles(blocks: tuple[Block, ...]) -> dict[int, str]:
    return _find_block_roles(blocks)


def _find_block_roles(blocks: tuple[Block, ...]) -> dict[int, str]:
    roles: dict[int, str] = {}
    headings = {normalize(b.text) for b in blocks if b.kind == "heading"} | {normalize(h) for b in blocks
                                                                           for h in b.section}
    headings.discard("")
    for block in blocks:
        if block.kind in ("code", "heading"):
            continue
        reason = _whole_block_role(block, headings)
        if reason:
            roles[id(block)] = reason
    _mark_menus(blocks, roles)
    _mark_narrative(blocks, roles)
    return roles


_ROW_ID = re.compile(r"^\s*(?:[A-Z]{1,3}-?)?\d{2,6}\s*$")  # "101", "E-1042": a record's key in sample data
_SCORE_HEADER = re.compile(r"\b(?:scores?|attempts?|tr(?:y|ies)|results?|grades?|1st|2nd|3rd|first|second)\b", re.I)
_SCORE_CELL = re.compile(r"^\s*(?:[-–—]|n/?a|\d+(?:\.\d+)?\s*%?(?:\s*/\s*\d+)?)?\s*$", re.I)


def _whole_block_role(block: Block, headings: set[str]) -> str:
    text = block.text.strip()
    if block.kind == "table_row" and block.cells and _ROW_ID.match(block.cells[0]):
        return "a row of an example table (numbered records such as 101, 102), not a fact"
    if block.kind == "table_row" and any(_SCORE_HEADER.search(h) for h in block.header[1:]) \
            and all(_SCORE_CELL.match(c) for c in block.cells[1:]):
        return "someone's test scores, not exam content"
    lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
    if len(lines) >= 2 and headings:
        echoed = sum(1 for ln in lines if normalize(_strip_number(ln)) in headings)
        if echoed * 2 >= len(lines) + 1:
            return "page furniture: table of contents"
    if block.kind == "list_item" and normalize(_strip_number(text)) in headings and len(text.split()) <= 8:
        return "page furniture: table of contents"
    if block.kind == "paragraph" and _GRID_BORDER.search(block.markup):
        return "a grid table (+---+ borders): its cells are not read as sentences"
    if block.kind in ("list_item", "paragraph") and len(text.split()) <= 25 and _IDENTIFIER_ENTRY.match(text):
        return "an entry of a reference list (an identifier and its title), not a fact"
    if block.kind == "list_item" and _ANCHOR_ITEM.match(block.markup):
        return "page furniture: table of contents"  # "[Speed Limits](#speed-limits)": a link within the page
    if len(block.sentences) <= 1:
        return _sentence_role(text)
    return ""


# "CWE-22 Improper Limitation of a Pathname ...", "CVE-2021-44228 ...", "RFC 1918 ...": a catalogue's entry.
_IDENTIFIER_ENTRY = re.compile(r"^\s*(?:\[)?[A-Z]{2,6}[- ]\d+(?:[-:.]\d+)*\b(?:\])?(?:\([^)]*\))?\s*[:–—-]?\s+[A-Z]")
# A Pandoc grid table: "+-----+-----+" and "+=====+" border lines around "|"-framed cells.
_GRID_BORDER = re.compile(r"^\s*\+[-=:]{3,}\+", re.M)
_ANCHOR_ITEM = re.compile(r"^\s*\[[^\]\n]{1,120}\]\(#[^)\s]*\)\s*$")
_NUMBER_PREFIX = re.compile(r"^\s*(?:\d+(?:\.\d+)*[.)]?|[-*•])\s+")


def _strip_number(line: str) -> str:
    return _NUMBER_PREFIX.sub("", line)


def _mark_menus(blocks: tuple[Block, ...], roles: dict[int, str]) -> None:
    """Short verbless lines of capitalised words at the very top or bottom of a page: a site's menu."""
    def menu(block: Block) -> bool:
        words = block.text.split()
        return (block.kind == "paragraph" and 1 <= len(words) <= _SHORT_LINE_WORDS
                and not re.search(r"[.:;?!,]$", block.text.strip()) and ": " not in block.text
                and all(w[:1].isupper() or not w[:1].isalpha() for w in words))
    body = [b for b in blocks if b.kind not in ("heading", "code")]
    for edge in (body[:3], body[-3:]):
        for block in edge:
            if id(block) not in roles and menu(block):
                roles[id(block)] = "page furniture: site menu"


def _mark_narrative(blocks: tuple[Block, ...], roles: dict[int, str]) -> None:
    """A paragraph told mostly in the first person is the author's story: its other sentences go with it."""
    for block in blocks:
        if block.kind != "paragraph" or id(block) in roles or len(block.sentences) < 2:
            continue
        personal = sum(1 for s in block.sentences if _FIRST_PERSON.search(_unquoted(s.text)))
        if personal * 2 >= len(block.sentences):
            roles[id(block)] = "the author's own story or plan (first person)"


# A post told in the first person ("How I passed ...", "My exam experience"): its prose is mostly the
# author's story and advice. Measured on 60 study texts: personal accounts have 18-68% first-person
# sentences, notes, textbooks and documentation 0-10% ("I" as a symbol for current included).
PERSONAL_SHARE = 0.18
_SECOND_PERSON = re.compile(r"(?<![\w'’-])(?:you|your|yours|yourself|you['’](?:re|ll|ve|d))(?![\w'’-])", re.I)


def personal_account(doc: Document) -> bool:
    """Whether the article is someone's account of their own exam or study (first person throughout)."""
    return _personal(doc.blocks)


@memo_by_identity(8)
def _personal(blocks: tuple[Block, ...]) -> bool:
    sentences = [s.text for b in blocks if b.kind in ("paragraph", "list_item", "quote") for s in b.sentences]
    personal = sum(1 for s in sentences if _FIRST_PERSON.search(_unquoted(s)))
    return len(sentences) >= 10 and personal >= PERSONAL_SHARE * len(sentences)


def speaks_to_someone(sentence: str) -> bool:
    """Whether a sentence speaks as "I" or to "you": advice or story, in a personal account."""
    return bool(_FIRST_PERSON.search(_unquoted(sentence)) or _SECOND_PERSON.search(sentence))

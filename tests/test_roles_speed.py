"""The needle prefilters of extract/roles.py: every line a role's pattern matches holds one of its needles,
so that skipping the pattern when no needle is there changes no role."""
from __future__ import annotations

import pytest

from generator.extract import roles

CASES = {
    "_SELF_REFERENCE": ["In the examples of the previous sections, x is set.", "The following example shows it.",
                        "As shown above, it works.", "It is just there as an example.", "See the code snippets.",
                        "Additional information on it can be found in this post.", "This figure is old.",
                        "As explained earlier, it fails."],
    "_DISTRACTOR": ["Option B is wrong.", "The other options are not valid.", "That command does not exist.",
                    "Restarting won't help."],
    "_BIO": ["Passionate programmer, open source enthusiast.", "An avid learner.", "Lifelong learner.",
             "Coffee lover and proud dad."],
    "_DOCUMENT_HEADER": ["REVISED: 04-01-25 SUPERSEDES: 07-01-23", "EFFECTIVE DATE: 01-01-25", "PAGE 2 OF 9",
                         "Reference No. 1302"],
    "_BYLINE": ["Posted by Dana Reyes | 6 min read", "Written by the staff", "Published on March 3",
                "Last updated 2024", "Reviewed by a nurse", "Edited by Sam", "12 min read", "By Jane Doe |",
                "Reading time: 5 minutes"],
    "_FOOTER": ["© 2025 Dana", "(c) 2024 Example", "Copyright 2020", "All rights reserved.", "Powered by Jekyll",
                "Made with love", "Theme by Someone", "Buy me a coffee", "Thanks for reading!", "Good luck!",
                "Happy studying", "Best of luck", "Leave a comment", "Share this post", "Follow me on X",
                "Sign up today", "Subscribe to get the latest", "Our newsletter", "Related posts", "Previous post",
                "Next post", "Back to top", "Skip to main content", "Table of contents", "On this page",
                "Edit this page", "We use cookies here", "Cookie settings", "Accept all cookies", "Privacy policy",
                "Terms of use"],
    "_PAGE_NOTE": ["This article explains subnets.", "The guide covers it.", "Original article here",
                   "Full content below", "Continue reading", "Read the full story", "In this post we see",
                   "Below is my list", "Click here to start", "See the link below", "Check out my other post",
                   "Let me know", "Feel free to ask", "I hope this helps", "Hope this helps", "Questions below",
                   "For more information, see the docs.", "Refer to the manual", "Visit the site",
                   "Go to the page", "Created from the guide", "Adapted / taken from the notes", "Sources: web"],
    "_LOGISTICS": ["The test center opens at 8.", "The exam room is cold.", "Check-in takes time.",
                   "The proctor watches.", "The examiner took my ID.", "Invigilators walk around.",
                   "Use the lockers.", "Empty your pockets.", "Leave your belongings.", "Personal items stay out.",
                   "Scratch paper is given.", "A whiteboard is given.", "Erasable boards are used.",
                   "Earplugs are allowed.", "Bring photo ID.", "Valid identification is required.",
                   "The webcam must be on.", "Restroom visits are allowed.", "The bathroom is near.",
                   "Breaks during the exam are short.", "No cell phones.", "No smart watches.",
                   "Arrive 30 minutes early.", "Reschedule your exam online.", "Buy an exam voucher.",
                   "Pearson VUE runs it.", "Prometric runs it.", "Online proctoring is allowed.",
                   "The tutorial lasts 15 minutes.", "Official results will be emailed in 10 days.",
                   "The result is a \"Provisional\" passing result.", "Print your score report."],
    "_STUDY_TALK": ["My study plan was simple.", "I was studying for the exam.", "Prepared for it well.",
                    "Take practice tests.", "Mock exams help.", "Brain dumps are bad.",
                    "I passed the exam.", "Exam tips follow.", "Video courses help.", "Udemy has one.",
                    "YouTube has one.", "Print cheat sheets.", "Memorize these ports.", "Cramming for it fails.",
                    "Aim for ≥ 80% to feel exam-ready.", "You are ready for the exam.",
                    "0xdf's blog is also very useful.", "Their videos were really helpful.",
                    "It is not a very challenging exam.", "A tough certification."],
}
NEEDLES = {"_BYLINE": "_BYLINE_NEEDLES", "_FOOTER": "_FOOTER_NEEDLES", "_PAGE_NOTE": "_PAGE_NOTE_NEEDLES",
           "_LOGISTICS": "_LOGISTICS_NEEDLES", "_STUDY_TALK": "_STUDY_NEEDLES",
           "_SELF_REFERENCE": "_SELF_REFERENCE_NEEDLES", "_DISTRACTOR": "_DISTRACTOR_NEEDLES",
           "_DOCUMENT_HEADER": "_HEADER_NEEDLES", "_BIO": "_BIO_NEEDLES"}


@pytest.mark.parametrize("name", sorted(CASES))
def test_every_match_holds_a_needle(name: str) -> None:
    pattern, needles = getattr(roles, name), getattr(roles, NEEDLES[name])
    for line in CASES[name]:
        assert pattern.search(line), (name, line)  # the example is one the pattern takes
        assert any(n in line.lower() for n in needles), (name, line)


def test_the_prefilter_changes_no_role() -> None:
    lines = [line for cases in CASES.values() for line in cases] + [
        "Subnetting splits one network into smaller networks.", "The nucleus holds the DNA of a cell."]
    for line in lines:
        assert roles._sentence_role(line) == _slow_role(line), line


def _slow_role(s: str) -> str:
    """_sentence_role without the needle prefilters."""
    saved = {name: getattr(roles, name) for name in NEEDLES.values()}
    try:
        for name in NEEDLES.values():
            setattr(roles, name, ("",))  # "" is in every string: every pattern runs
        roles._sentence_role.cache_clear()
        return roles._sentence_role(s)
    finally:
        for name, value in saved.items():
            setattr(roles, name, value)
        roles._sentence_role.cache_clear()

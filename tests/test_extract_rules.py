"""Extraction rules, each exercised on sentences written for the test."""

from __future__ import annotations

import pytest

from kg.extract import extract


def positions(make_readout, body: str, **kw) -> set[tuple[str, str, str | None]]:
    rec = extract(make_readout(body, **kw))
    return {(p["holder"], p["stance"], p["target"]) for p in rec["positions"]}


def issues(make_readout, body: str, **kw) -> dict[tuple[str, str], list[str]]:
    out: dict[tuple[str, str], list[str]] = {}
    for p in extract(make_readout(body, **kw))["positions"]:
        out.setdefault((p["holder"], p["stance"]), []).append(p["issue"])
    return out


LEAD_CN = (
    "On March 3, 2024, Foreign Minister Wang Yi held a phone call with Foreign Minister "
    "Anna Berg of Sweden at the latter's request. "
)
LEAD_US = "President Joseph R. Biden, Jr. spoke today with Prime Minister Ravi Menon of India. "


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Wang Yi said China supports Sweden's efforts to safeguard its sovereignty.", ("CHN", "support", "SWE")),
        ("Berg said Sweden firmly opposes Norway's interference in the talks.", ("SWE", "oppose", "NOR")),
        ("Wang Yi expressed concern about the situation in the Red Sea.", ("CHN", "concern", None)),
        ("China hopes that Sweden will continue to pursue a friendly policy.", ("CHN", "hope", "SWE")),
        ("China is willing to deepen cooperation with Sweden on clean energy.", ("CHN", "commit", "SWE")),
        ("Berg thanked China for its assistance during the floods.", ("SWE", "appreciate", "CHN")),
        ("Wang Yi called on all parties to exercise restraint.", ("CHN", "call", None)),
        ("The two sides agreed to strengthen people-to-people exchanges.", ("CHN", "agree", None)),
    ],
)
def test_each_stance(make_readout, sentence: str, expected: tuple) -> None:
    assert expected in positions(make_readout, LEAD_CN + sentence, publisher="CHN")


def test_both_sides_give_one_position_per_participant(make_readout) -> None:
    got = issues(make_readout, LEAD_CN + "The two sides agreed to hold consultations on climate change.", publisher="CHN")
    assert ("CHN", "agree") in got and ("SWE", "agree") in got


def test_list_gives_one_position_per_item(make_readout) -> None:
    body = LEAD_CN + (
        "Berg said Sweden will continue to support China on issues related to China's core "
        "interests such as Taiwan, Xinjiang, Tibet and Hong Kong."
    )
    got = issues(make_readout, body, publisher="CHN")[("SWE", "support")]
    assert got == ["Taiwan", "Xinjiang", "Tibet", "Hong Kong"]


def test_adjective_list_is_one_item(make_readout) -> None:
    body = LEAD_US + "The President reaffirmed U.S. support for India's sovereignty, independence, and security."
    got = issues(make_readout, body)[("USA", "support")]
    assert got == ["India's sovereignty, independence, and security"]


def test_reported_speech_keeps_the_speaker(make_readout) -> None:
    body = LEAD_CN + "Wang Yi said both sides should strengthen coordination at the United Nations."
    got = positions(make_readout, body, publisher="CHN")
    assert ("CHN", "call", "ORG:UN") in got
    assert not any(h == "SWE" for h, _, _ in got)


def test_paragraph_speaker_carries_to_subjectless_sentences(make_readout) -> None:
    body = LEAD_CN + "\n\nBerg said the visit was a success. Sweden will continue to support the one-China principle."
    assert ("SWE", "support", None) in positions(make_readout, body, publisher="CHN")


def test_titles_and_pronouns_resolve(make_readout) -> None:
    body = LEAD_US + (
        "The President thanked the Prime Minister for India's leadership in the G20. "
        "He also condemned the attack in Kashmir. The Prime Minister welcomed the new trade talks."
    )
    got = positions(make_readout, body)
    assert ("USA", "appreciate", "IND") in got
    assert ("USA", "oppose", None) in got
    assert any(h == "IND" and s == "appreciate" for h, s, _ in got)


def test_joint_statement_we_is_each_signatory(make_readout) -> None:
    body = (
        "Prime Minister Claire Dubois of Canada and President Luis Ortega of Mexico met in Ottawa on June 2, 2022. "
        "We condemn Russia's invasion of Ukraine."
    )
    got = positions(make_readout, body, title="Joint Statement of Canada and Mexico", publisher=None, date=None)
    assert ("CAN", "oppose", "RUS") in got and ("MEX", "oppose", "RUS") in got


def test_narration_without_stance_gives_no_position(make_readout) -> None:
    rec = extract(make_readout(LEAD_US + "The call lasted an hour. The leaders discussed trade and energy."))
    assert rec["positions"] == []
    assert [t["issue"] for t in rec["meeting"]["topics"]] == ["trade", "energy"]


def test_quote_offsets_are_exact(make_readout) -> None:
    r = make_readout(LEAD_US + "The President expressed concern about the floods in Assam.")
    for p in extract(r)["positions"]:
        assert r.text[p["start"] : p["end"]] == p["quote"]


@pytest.mark.parametrize(
    ("lead", "initiator"),
    [
        (
            "Foreign Minister Wang Yi held a phone call with Foreign Minister Anna Berg of Sweden at the latter's request.",
            "SWE",
        ),
        ("Foreign Minister Wang Yi held phone talks at request with Foreign Minister Anna Berg of Sweden.", "SWE"),
        ("Foreign Minister Wang Yi received a phone call from Foreign Minister Anna Berg of Sweden.", "SWE"),
        ("At the request of Sweden, Foreign Minister Wang Yi spoke with Foreign Minister Anna Berg of Sweden.", "SWE"),
        ("Foreign Minister Wang Yi spoke with Foreign Minister Anna Berg of Sweden.", None),
        # phrasing variants: words between the verb and the call, passives, initiative, the latter
        ("Foreign Minister Wang Yi received on Sunday a telephone call from Foreign Minister Anna Berg of Sweden.",
         "SWE"),
        ("Foreign Minister Wang Yi took a call from Foreign Minister Anna Berg of Sweden.", "SWE"),
        ("Foreign Minister Wang Yi spoke with Foreign Minister Anna Berg of Sweden. The call was initiated by Sweden.",
         "SWE"),
        ("On the initiative of Sweden, Foreign Minister Wang Yi spoke with Foreign Minister Anna Berg of Sweden.",
         "SWE"),
        ("Foreign Minister Wang Yi spoke with Foreign Minister Anna Berg of Sweden at the request of the latter.",
         "SWE"),
        ("At the initiative of the opposite side, Foreign Minister Wang Yi spoke with Foreign Minister Anna Berg of "
         "Sweden.", "SWE"),
        ("Foreign Minister Wang Yi spoke with U.S. Secretary of State Tom Hale at the top U.S. diplomat's request.",
         "USA"),
        ("Foreign Minister Anna Berg of Sweden made an introductory phone call to Foreign Minister Wang Yi.", "SWE"),
        ("Foreign Minister Anna Berg of Sweden called on Foreign Minister Wang Yi in Beijing.", "SWE"),
        ("Foreign Minister Anna Berg of Sweden called on Wang Yi to lift the sanctions.", None),
        ("Foreign Minister Anna Berg of Sweden visited Beijing at the invitation of her counterpart Wang Yi.", "CHN"),
    ],
)
def test_initiator(make_readout, lead: str, initiator: str | None) -> None:
    assert extract(make_readout(lead, publisher="CHN"))["meeting"]["initiator"] == initiator


@pytest.mark.parametrize(
    ("title", "lead", "kind"),
    [
        (
            "Readout of the President's Call with the Prime Minister",
            "The President spoke today with Prime Minister X of Y.",
            "phone_call",
        ),
        (
            "Minister Holds Video Call",
            "Foreign Minister A held a video call with Foreign Minister B of Chile.",
            "video_call",
        ),
        ("Minister Meets Counterpart", "Foreign Minister A met with Foreign Minister B of Chile in Lima.", "meeting"),
        ("Joint Statement of Chile and Peru", "Chile and Peru reaffirm their friendship.", "joint_statement"),
        ("Secretary to Host Minister", "The Secretary will host Foreign Minister B of Chile next week.", "other"),
        # announcements of a future visit are "other"
        ("Minister to Visit Chile", "Foreign Minister A will pay an official visit to Chile next week.", "other"),
        ("Visit Announcement", "President A will make a working trip to Lima on Monday.", "other"),
        ("Visit Announcement", "Foreign Minister A is scheduled to visit Lima on Monday.", "other"),
        # the channel named in the lead wins over a general word of the title
        ("Ministers Discuss Bilateral Relations", "Minister A had a telephone conversation with Minister B of Chile.",
         "phone_call"),
        ("Chile and Peru Call on the Parties to Talk", "Minister A held a telephone conversation with Minister B.",
         "phone_call"),
    ],
)
def test_meeting_type(make_readout, title: str, lead: str, kind: str) -> None:
    assert extract(make_readout(lead, title=title))["meeting"]["type"] == kind


@pytest.mark.parametrize(
    ("lead", "expected"),
    [
        (
            "Foreign Minister Wang Yi spoke with Kyrgyz Foreign Minister Ruslan Kazakbaev.",
            [("Wang Yi", "CHN"), ("Ruslan Kazakbaev", "KGZ")],
        ),
        (
            "Foreign Minister Wang Yi spoke with Turkey’s Foreign Minister Hakan Fidan.",
            [("Wang Yi", "CHN"), ("Hakan Fidan", "TUR")],
        ),
        (
            "Foreign Minister Wang Yi met Foreign Minister of the Russian Federation Sergey Lavrov.",
            [("Wang Yi", "CHN"), ("Sergey Lavrov", "RUS")],
        ),
        (
            "Foreign Minister Wang Yi met Akiba Takeo, Secretary General of Japan’s National Security Secretariat.",
            [("Wang Yi", "CHN"), ("Akiba Takeo", "JPN")],
        ),
        (
            "Foreign Minister Wang Yi met Secretary General Jens Stoltenberg of NATO.",
            [("Wang Yi", "CHN"), ("Jens Stoltenberg", "ORG:NATO")],
        ),
        # honorifics before the name, the country after the title
        (
            "Foreign Minister Wang Yi spoke with H.E. Dr. Lena Vogt, Federal Minister for Foreign Affairs, Austria.",
            [("Wang Yi", "CHN"), ("Lena Vogt", "AUT")],
        ),
        (
            "Foreign Minister Wang Yi received a call from His Excellency Tom Hale, Secretary of State of the "
            "friendly United States of America.\n\nThe two sides reviewed relations.",
            [("Wang Yi", "CHN"), ("Tom Hale", "USA")],
        ),
        (
            "Foreign Minister Wang Yi met the Hon. Mark Penn, MP, Prime Minister of the Commonwealth of Australia.",
            [("Wang Yi", "CHN"), ("Mark Penn", "AUS")],
        ),
        (
            "Foreign Minister Wang Yi met HE Mr Omar Sall, Secretary General of the Organisation of Islamic Cooperation.",
            [("Wang Yi", "CHN"), ("Omar Sall", "ORG:OIC")],
        ),
        # an abbreviated country before the title
        (
            "Foreign Minister Wang Yi met U.S. Under Secretary of State for Political Affairs Dan Ross.",
            [("Wang Yi", "CHN"), ("Dan Ross", "USA")],
        ),
        # an ambassador represents the sending state, not the host
        (
            "Foreign Minister Wang Yi met Ambassador of Brazil to the People's Republic of China, Rui Costa.",
            [("Wang Yi", "CHN"), ("Rui Costa", "BRA")],
        ),
        (
            "Foreign Minister Wang Yi spoke with H.E. Kim Tae-ho, Minister of Foreign Affairs of the Republic of Korea.",
            [("Wang Yi", "CHN"), ("Kim Tae-ho", "KOR")],
        ),
        (
            "Foreign Minister Wang Yi met Hon. Jose A. Reyes, Secretary for Foreign Affairs of the Philippines.",
            [("Wang Yi", "CHN"), ("Jose A. Reyes", "PHL")],
        ),
        # region words belong to the title, not the name
        (
            "Foreign Minister Wang Yi met US Assistant Secretary of State for South and Central Asian Affairs Dan Ross.",
            [("Wang Yi", "CHN"), ("Dan Ross", "USA")],
        ),
        # "<demonym> counterpart <name>", with or without a comma or an honorific
        (
            "Foreign Minister Wang Yi had a telephone conversation with his Israeli counterpart Avi Levin.",
            [("Wang Yi", "CHN"), ("Avi Levin", "ISR")],
        ),
        (
            "Foreign Minister Wang Yi hosted a meeting with his British counterpart, John Carter, in Beijing.",
            [("Wang Yi", "CHN"), ("John Carter", "GBR")],
        ),
        (
            "Foreign Minister Wang Yi met his Singaporean counterpart Dr Wei Lim on Monday.",
            [("Wang Yi", "CHN"), ("Wei Lim", "SGP")],
        ),
        # a name that reads like a code in title case ("Hun") is a name, not Hungary
        (
            "Foreign Minister Wang Yi held phone talks with his Cambodian counterpart Hun Tola on Friday.",
            [("Wang Yi", "CHN"), ("Hun Tola", "KHM")],
        ),
        # the state in a title wins over the next person's title after a comma
        (
            "Foreign Minister Wang Yi spoke with Australian Prime Minister Tom Reid, Thai Prime Minister Anan Sri "
            "and others.",
            [("Wang Yi", "CHN"), ("Tom Reid", "AUS"), ("Anan Sri", "THA")],
        ),
        # a dateline's places before an honorific are not the person's title
        (
            "On his visit to Manila, Philippines, Mr. Sato Ken, Minister for Foreign Affairs of Japan, met Foreign "
            "Minister Wang Yi.",
            [("Sato Ken", "JPN"), ("Wang Yi", "CHN")],
        ),
        # an abbreviation's full stop does not end the appositive title
        (
            "Foreign Minister Wang Yi held talks with Tom Dale, National Security Advisor to the U.S. President.",
            [("Wang Yi", "CHN"), ("Tom Dale", "USA")],
        ),
        # an ordinal inside a title
        (
            "Foreign Minister Wang Yi met Republic of Korea 1st Vice Foreign Minister Park Jin-ho.",
            [("Wang Yi", "CHN"), ("Park Jin-ho", "KOR")],
        ),
        # offices only one state has; a common typo of "Minister"
        (
            "Foreign Minister Wang Yi met Assistant Secretary of State for Europe and Eurasia Ann Cole.",
            [("Wang Yi", "CHN"), ("Ann Cole", "USA")],
        ),
        (
            "Foreign Minister Wang Yi met Tánaiste Sean Walsh and External Affairs Minster R Kumar.",
            [("Wang Yi", "CHN"), ("Sean Walsh", "IRL"), ("R Kumar", "IND")],
        ),
        # after a name's comma, a title ending in "and" belongs to that name, not to the next
        (
            "Talks were co-chaired by Aram Vardan, Deputy Minister of Foreign Affairs of the Republic of Armenia and "
            "Joost de Vries, Director General for Political Affairs of the Netherlands.",
            [("Aram Vardan", "ARM"), ("Joost de Vries", "NLD")],
        ),
        # a capital's name can be a first name
        (
            "Foreign Minister Wang Yi spoke with Secretary-General of the Cooperation Council of Turkic Speaking "
            "Countries Baghdad Amreyev.",
            [("Wang Yi", "CHN"), ("Baghdad Amreyev", "ORG:OTS")],
        ),
        # two particles in a name
        (
            "Foreign Minister Wang Yi met Pieter van der Berg, Director General for Political Affairs of the "
            "Netherlands.",
            [("Wang Yi", "CHN"), ("Pieter van der Berg", "NLD")],
        ),
    ],
)
def test_participants_and_their_states(make_readout, lead: str, expected: list) -> None:
    got = extract(make_readout(lead, publisher="CHN"))["meeting"]["participants"]
    assert [(p["name"], p["state"]) for p in got] == expected


def test_publisher_from_style_when_metadata_is_silent(make_readout) -> None:
    rec = extract(make_readout("Foreign Secretary James Hall met Foreign Minister Ana Ruiz of Peru.", publisher=None))
    assert rec["publisher"] == "GBR"
    assert rec["meeting"]["participants"][0]["state"] == "GBR"


def test_meeting_date_from_text_and_relative_words(make_readout) -> None:
    assert (
        extract(
            make_readout("On Wednesday, Secretary Kim spoke with Foreign Minister Ana Ruiz of Peru.", date="2025-01-24")
        )["meeting"]["date"]
        == "2025-01-22"
    )
    assert (
        extract(make_readout("Secretary Kim spoke yesterday with Foreign Minister Ana Ruiz of Peru.", date="2025-01-24"))[
            "meeting"
        ]["date"]
        == "2025-01-23"
    )


def test_issue_labels_are_short_and_carry_concepts(make_readout) -> None:
    body = LEAD_US + (
        "The President underscored his commitment to working with India and other partners in the "
        "region to build resilient supply chains for critical minerals and clean energy technologies "
        "across the Indo-Pacific."
    )
    rec = extract(make_readout(body))
    for p in rec["positions"]:
        assert len(p["issue"].split()) <= 12
    assert any(p["concept"] for p in rec["positions"])


def test_one_huge_sentence_is_cut_into_pieces(make_readout) -> None:
    from kg.extract.text import MAX_SENTENCE, sentences

    words = "the President and China support reaffirmed commitment to Taiwan , Xinjiang and will call on".split()
    body = " ".join(words[i % len(words)] for i in range(20000))  # one "sentence" of 20,000 words
    r = make_readout(body)
    assert all(s.end - s.start <= MAX_SENTENCE for s in sentences(r.text, r.body_start, r.body_end))
    rec = extract(r)
    for p in rec["positions"]:
        assert r.text[p["start"] : p["end"]] == p["quote"]


def test_one_pass_cue_scan_finds_what_each_cue_finds_alone(seed_path, fixtures) -> None:
    """The single-pass scan is an optimisation: it must give every cue's own matches, overlaps included."""
    from kg.extract.cues import CUES, scan

    files = [seed_path, *sorted(p for p in fixtures.rglob("*") if p.suffix in (".txt", ".md", ".html"))]
    texts = [p.read_text(encoding="utf-8").lower() for p in files]
    texts.append("the two sides agreed that they will support and reaffirmed support for the talks; noted that")
    for low in texts:
        alone = [(m.start(), m.end(), i, m.group(0)) for i, c in enumerate(CUES) for m in c.pattern.finditer(low)]
        alone.sort(key=lambda t: (t[0], t[2]))  # by start, then in lexicon order
        index = {id(c): i for i, c in enumerate(CUES)}
        found = [(s, e, index[id(c)], w) for s, e, c, w in scan(low)]
        assert found == alone
        assert found, "each text has cues"


def roles(make_readout, body: str, **kw) -> set[tuple[str, str, str | None, str | None]]:
    rec = extract(make_readout(body, **kw))
    return {(p["holder"], p["stance"], p["target"], p["beneficiary"]) for p in rec["positions"]}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # the victim of what is opposed is the beneficiary, never the target
        ("Berg said Sweden firmly opposes any interference in China's internal affairs.", ("SWE", "oppose", None, "CHN")),
        ("Sweden condemned the attack on Israel.", ("SWE", "oppose", None, "ISR")),
        ("Sweden condemned Russia's aggression against Ukraine.", ("SWE", "oppose", "RUS", "UKR")),
        ("Sweden opposes interference in the internal affairs of Kenya.", ("SWE", "oppose", None, "KEN")),
        ("Sweden expressed concern over the sanctions imposed on Cuba.", ("SWE", "concern", None, "CUB")),
        ("Berg expressed condolences to Turkey over the earthquake.", ("SWE", "concern", None, "TUR")),
        # condolences are for the stricken: the person addressed, or a state named, is the beneficiary
        ("Wang Yi renewed his sympathy to Minister Berg regarding the floods.", ("CHN", "concern", None, "SWE")),
        ("Wang Yi expressed his sympathy to the victims of the attack in Malmo, Sweden.", ("CHN", "concern", None, "SWE")),
        # condolences that name no one go to the counterpart; places listed together are places
        ("Wang Yi conveyed condolences on the loss of lives in the air crash last week.", ("CHN", "concern", None, "SWE")),
        ("Berg condemned acts of burning the Quran in Norway and Denmark.", ("SWE", "oppose", None, None)),
        # the author of an act is the target
        ("Sweden condemned the missile launches by North Korea.", ("SWE", "oppose", "PRK", None)),
        # support keeps its target: supporting Ukraine's sovereignty supports Ukraine
        ("Sweden supports Ukraine's sovereignty and territorial integrity.", ("SWE", "support", "UKR", None)),
        # a state's own conduct at home makes it the target, not a victim
        (
            "Berg voiced concern about the violations of democratic practices in Venezuela after the election.",
            ("SWE", "concern", "VEN", None),
        ),
        ("Berg raised concerns about the flaws in Venezuela's election.", ("SWE", "concern", "VEN", None)),
        ("Berg condemned interference in Norway's elections.", ("SWE", "oppose", None, "NOR")),
        # the use of something against an actor harms it; its use in a place does not
        ("Berg voiced concern about Iran's use of drones against Ukraine.", ("SWE", "concern", "IRN", "UKR")),
        ("Berg opposed the use of nuclear weapons in Ukraine.", ("SWE", "oppose", None, None)),
        # a state's adjective before a matter names the matter, not the state's conduct; before its people, the state
        ("Berg supported a political settlement of the Afghan conflict.", ("SWE", "support", None, None)),
        ("Berg supported the Afghan people.", ("SWE", "support", "AFG", None)),
        # support for the relation of two others has no target; for one's own relation, the partner
        ("Berg supported strengthening the NATO-EU strategic partnership.", ("SWE", "support", None, None)),
        ("Berg supported the Sweden-China partnership.", ("SWE", "support", "CHN", None)),
        ("Berg reaffirmed her support for the Commonwealth.", ("SWE", "support", "ORG:COMMONWEALTH", None)),
        # mourning the victims is condolence: the counterpart is the beneficiary
        ("Berg mourned the victims of the earthquake.", ("SWE", "concern", None, "CHN")),
        # support for the talks between two others has no target
        ("Berg supported the talks between Tehran and Washington.", ("SWE", "support", None, None)),
        # "inter-Korean" names one actor; an actor that leads something ("Russian-led") is not the one supported
        ("Berg expressed support for inter-Korean dialogue.", ("SWE", "support", "KOR", None)),
        ("Berg supported efforts to end the Russian-led conflict.", ("SWE", "support", None, None)),
        # "assured X of Y's support": support for the one assured
        ("Berg assured Foreign Minister Wang Yi of Sweden's full support.", ("SWE", "support", "CHN", None)),
        # a call defends a victim only when it calls for the end of an act against it
        ("Berg called for an end to the attacks on Ukraine.", ("SWE", "call", None, "UKR")),
        ("Berg called for safe haven for Burmese nationals.", ("SWE", "call", None, None)),
        # another actor's support inside a concern is that actor's conduct, the concern's target
        ("Berg expressed deep concern over Iran's continued support for Russia's army.", ("SWE", "concern", "IRN", None)),
    ],
)
def test_target_and_beneficiary(make_readout, sentence: str, expected: tuple) -> None:
    got = roles(make_readout, LEAD_CN + sentence, publisher="CHN")
    assert expected in got, got


def test_a_noun_cue_has_its_regular_plural_even_where_the_tables_call_it_uncountable() -> None:
    from kg.extract.morph import noun_forms

    assert "congratulations" in noun_forms("congratulation")


def test_cue_forms_come_from_the_morphology_tables() -> None:
    import re

    from kg.extract.morph import N, V

    verbs = re.compile(rf"\b{V('emphasise reaffirm')}\b")
    for form in ("emphasise", "emphasised", "emphasizes", "emphasizing", "reaffirm", "reaffirmed", "reaffirms"):
        assert verbs.fullmatch(form), form
    assert not verbs.fullmatch("emphasis")
    assert re.fullmatch(N("condolence"), "condolences") and re.fullmatch(V("point_out"), "pointed  out")


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # every inflection and tense of a cue, modifiers between its parts
        ("Berg reiterates Sweden's support for the peace process.", ("SWE", "support")),
        ("Berg said Sweden is more than ready to mediate between the parties.", ("SWE", "commit")),
        ("Berg asked the envoy of the Union to engage with the parties.", ("SWE", "call")),
        ("Berg said that Sweden would continue to fund the mission.", ("SWE", "commit")),
        ("Berg said that Sweden would like to deepen maritime cooperation.", ("SWE", "commit")),
        # light verbs with a noun
        ("Berg expressed joy at the progress of the railway project.", ("SWE", "appreciate")),
        ("Berg extended an invitation to Wang Yi to visit Stockholm.", ("SWE", "hope")),
        ("Berg lodged a protest against the detention of the journalists.", ("SWE", "oppose")),
        ("Berg noted with concern the rise in piracy.", ("SWE", "concern")),
        # evaluations
        ("Berg said the blockade of the port is unacceptable.", ("SWE", "oppose")),
        ("Berg said the new corridor is of the greatest importance.", ("SWE", "call")),
        ("Berg said the dam project poses a serious threat to farmers.", ("SWE", "concern")),
        # negation
        ("Berg said no country would accept the annexation of its land.", ("SWE", "oppose")),
        # second-round conventions
        ("The two sides shared the view that the talks should resume.", ("SWE", "agree")),
        ("Berg encouraged China to join the fisheries initiative.", ("SWE", "call")),
        ("Berg encouraged closer academic exchanges.", ("SWE", "support")),
        ("Berg reaffirmed the strength of the partnership with China.", ("SWE", "commit")),
        ("Berg stressed the high level of development of the strategic relations with China.", ("SWE", "commit")),
        ("Berg confirmed Sweden's interest in expanding the political dialogue.", ("SWE", "commit")),
        ("The two sides decided to set up a joint working group on fisheries.", ("SWE", "agree")),
        ("Berg said both sides attach great importance to the dialogue.", ("SWE", "call")),
        ("Berg recalled the importance of a close relationship with China.", ("SWE", "call")),
        ("Berg spoke in favour of settling the differences through talks.", ("SWE", "support")),
        ("Berg said Sweden has great respect for China's role in the region.", ("SWE", "appreciate")),
        ("Berg suggested that both sides work together to lift two-way trade.", ("SWE", "call")),
        ("Both sides showed interest in student exchanges.", ("SWE", "commit")),
        ("Berg expressed his keenness to deepen cooperation with China.", ("SWE", "commit")),
        ("The sides positively assessed the prospects of the new format of cooperation.", ("SWE", "appreciate")),
        ("Berg gave a positive assessment of the cooperation on climate change.", ("SWE", "appreciate")),
        ("Berg said Sweden was very pleased with the results of the talks.", ("SWE", "appreciate")),
        ("Berg said Sweden is very interested in the speediest settlement of the conflict.", ("SWE", "commit")),
        ("The intensification of contacts was noted with satisfaction.", ("SWE", "appreciate")),
        ("Berg spoke highly of China's efforts to mediate.", ("SWE", "appreciate")),
        ("The two sides took note of the closer coordination on maritime issues.", ("SWE", "appreciate")),
        ("Berg expressed Sweden's desire to increase the number of joint projects.", ("SWE", "commit")),
        ("Both sides reiterated their agreement that a nuclear war should never be fought.", ("SWE", "agree")),
        ("The two sides consented to coordinate closely on trade.", ("SWE", "agree")),
        ("The two sides shared the view on continuing to work closely together.", ("SWE", "agree")),
        ("Berg said Sweden counts on China's leadership in addressing common challenges.", ("SWE", "hope")),
        ("Berg expressed his belief in the prospects of the bilateral ties.", ("SWE", "hope")),
        ("Berg emphasized on regular dialogue and high-level visits.", ("SWE", "call")),
        ("Berg underscored her iron-clad, unwavering commitment to the security of the region.", ("SWE", "commit")),
        ("Both sides noted significant developments in bilateral cooperation on education.", ("SWE", "appreciate")),
        # an emphasised relation is a commitment to it, in the passive too
        ("The excellent cooperation between Sweden and China within the United Nations was emphasized.",
         ("SWE", "commit")),
        # passives without an agent: the participants hold them
        ("The successful development of relations between the two countries was hailed.", ("SWE", "appreciate")),
        ("The successful development of relations between the two countries was hailed.", ("CHN", "appreciate")),
        ("Concern was expressed over the tense situation in the region.", ("CHN", "concern")),
        # evaluations of praise and worry, a bare "seeks closer ..."
        ("Berg said the accord was a milestone for the region.", ("SWE", "appreciate")),
        ("Berg said the situation in the strait is alarming.", ("SWE", "concern")),
        ("Berg said Sweden seeks closer ties with China.", ("SWE", "commit")),
        ("The two ministers rejoiced at the continued cooperation between the two countries.", ("SWE", "appreciate")),
        ("Both the ministers noted the convergence of their positions.", ("CHN", "appreciate")),
        ("Berg said 2015 was a successful year for the ties.", ("SWE", "appreciate")),
        ("Berg announced a new package of assistance for Ukraine.", ("SWE", "commit")),
        ("Berg said the Israeli-Palestinian conflict is the source of tension in the region.", ("SWE", "concern")),
        ("Berg said that Sweden will not be intimidated by threats and will continue to help.", ("SWE", "oppose")),
        ("Berg said a negotiated political settlement was the only way forward.", ("SWE", "support")),
        ("Berg offered her warm congratulations to Wang Yi on his appointment.", ("SWE", "appreciate")),
        ("Berg termed China a critical partner in the development agenda.", ("SWE", "appreciate")),
        ("The ministers also lent their support to the swift adoption of the programme.", ("SWE", "support")),
        ("Together, we call on Russia to recommit to the ceasefire.", ("CHN", "call")),
        ("Both sides stressed that defence cooperation is one of the pillars of the partnership.", ("SWE", "call")),
        ("Berg said assisting Jordan with the refugees is an investment in the world's future.", ("SWE", "call")),
    ],
)
def test_cues_in_every_form(make_readout, sentence: str, expected: tuple) -> None:
    got = {(h, s) for h, s, _t in positions(make_readout, LEAD_CN + sentence, publisher="CHN")}
    assert expected in got, got


def test_praise_of_anothers_role_is_appreciation_of_ones_own_a_commitment(make_readout) -> None:
    got = positions(make_readout, LEAD_CN + (
        "Wang Yi highlighted Sweden's continued efforts to promote peace in the Arctic. "
        "Berg recognized China's generosity and leadership in hosting refugees. "
        "Wang Yi underscored China's efforts to promote development in Africa."
    ), publisher="CHN")
    assert {("CHN", "appreciate", "SWE"), ("SWE", "appreciate", "CHN"), ("CHN", "commit", None)} <= got, got
    assert ("CHN", "appreciate", None) not in got, got


def test_a_fronted_issue_heads_the_labels_of_its_sentence(make_readout) -> None:
    got = issues(make_readout, LEAD_CN + (
        "On the conflict in Ukraine, Sweden reiterated its stance on the importance of dialogue. "
        "On March 4, Berg called for restraint."
    ), publisher="CHN")
    assert any(x.startswith("conflict in Ukraine: ") and "dialogue" in x for x in got.get(("SWE", "call"), [])), got
    assert "restraint" in got.get(("SWE", "call"), []), got


def test_compound_adjectives_are_no_cues_and_sponsors_no_targets(make_readout) -> None:
    got = roles(make_readout, LEAD_CN + "Berg said that Iranian-backed militia attacks are unlawful.", publisher="CHN")
    assert ("SWE", "oppose", None, None) in got, got
    assert not any(r[1] == "support" or r[2] == "IRN" for r in got), got
    got = positions(make_readout, LEAD_CN + "Berg re-emphasized the deep relationship Sweden has with China.",
                    publisher="CHN")  # fmt: skip
    assert any(h == "SWE" for h, _s, _t in got), got


def test_named_partners_in_reported_speech_hold_together(make_readout) -> None:
    body = LEAD_CN + "Wang Yi said both China and Sweden underscored the need for a permanent ceasefire."
    assert {("CHN", "call", None), ("SWE", "call", None)} <= positions(make_readout, body, publisher="CHN")
    body = LEAD_CN + "Wang Yi said both sides should exercise restraint."
    assert {h for h, s, _t in positions(make_readout, body, publisher="CHN") if s == "call"} == {"CHN"}


def test_the_of_inside_a_name_is_no_preposition(make_readout) -> None:
    body = "The United States of America and the Socialist Republic of Viet Nam have agreed to a framework for trade."
    assert {("USA", "agree", None), ("VNM", "agree", None)} <= positions(make_readout, body, publisher="USA")
    body = "The United States of America (the United States) and the Republic of Peru (Peru) have agreed to a framework."
    assert {("USA", "agree", None), ("PER", "agree", None)} <= positions(make_readout, body, publisher="USA")
    body = LEAD_CN + "Foreign Minister Wang Yi and Swedish Foreign Minister Anna Berg expressed their delight at the talks."
    assert {("CHN", "appreciate", None), ("SWE", "appreciate", None)} <= positions(make_readout, body, publisher="CHN")
    # but actors coordinated inside a phrase, or named with their office, stay inside it
    got = positions(make_readout, LEAD_CN + (
        "To deal with the ties between the North and Russia, Wang Yi and Berg stressed the need to cooperate. "
        "Talks with United Nations Secretary-General Tom Hale focused on Gaza. "
        "Berg welcomed the outcome."
    ), publisher="CHN")
    assert {h for h, _s, _t in got} == {"CHN", "SWE"}, got


def test_both_sides_in_a_readout_of_several_meetings_is_that_meetings_pair(make_readout) -> None:
    body = (
        "Foreign Minister Wang Yi met Foreign Minister Anna Berg of Sweden in Beijing.\n\n"
        "Both sides agreed to expand trade.\n\n"
        "Wang Yi also held talks with Peru's Foreign Minister Ana Ruiz.\n\n"
        "During the meeting with Minister Ruiz, the two sides agreed to boost tourism."
    )
    got = issues(make_readout, body, publisher="CHN")
    assert "boost tourism" in got[("PER", "agree")] and "boost tourism" in got[("CHN", "agree")], got
    assert "boost tourism" not in got.get(("SWE", "agree"), []), got
    assert "expand trade" in got[("SWE", "agree")], got


def test_the_leads_unnamed_title_is_the_publishers_principal_throughout(make_readout) -> None:
    body = (
        "The Prime Minister spoke to Prime Minister Ana Ruiz of Peru this afternoon.\n\n"
        "The Prime Minister paid tribute to Prime Minister Ruiz's leadership."
    )
    assert ("GBR", "appreciate", "PER") in positions(make_readout, body, publisher="GBR")


def test_a_quote_before_its_speaker_is_the_speakers(make_readout) -> None:
    body = LEAD_CN + (
        "“The situation in the Red Sea is worrying,” said Berg. "
        '"An immediate ceasefire is needed to halt the fighting," Berg said in a statement.'
    )
    got = issues(make_readout, body, publisher="CHN")
    assert "situation in the Red Sea" in got[("SWE", "concern")], got
    assert "immediate ceasefire" in got[("SWE", "call")], got
    assert not any(h == "CHN" for h, _s in got), got


def test_inadmissibility_occasions_and_keenness(make_readout) -> None:
    body = LEAD_CN + (
        "Berg stressed the inadmissibility of the politicization of the border issue. "
        "The Ministers affirmed, during the telephone conversation, their keenness to boost their relations in all "
        "fields for the benefit of their peoples."
    )
    got = issues(make_readout, body, publisher="CHN")
    assert any("politicization" in x for x in got[("SWE", "oppose")]), got
    assert got[("CHN", "commit")] == ["boost their relations in all fields for the benefit of their peoples"], got


def test_a_reaffirmed_relationship_keeps_its_adjectives(make_readout) -> None:
    body = LEAD_CN + (
        "Wang Yi and Berg reaffirmed the special relationship between China and Sweden. "
        "Berg underscored the enduring strength of the partnership."
    )
    got = issues(make_readout, body, publisher="CHN")
    assert "special relationship between China and Sweden" in got[("CHN", "commit")], got
    assert "enduring strength of the partnership" in got[("SWE", "commit")], got


def test_and_the_two_starts_a_clause_of_its_own(make_readout) -> None:
    body = LEAD_CN + "Wang Yi underscored concern about the floods, and the two concurred on the importance of solidarity."
    got = issues(make_readout, body, publisher="CHN")
    assert got[("CHN", "concern")] == ["floods"] and "solidarity" in got[("SWE", "agree")], got


def test_a_long_fronted_while_clause_and_its_thanks(make_readout) -> None:
    body = LEAD_CN + (
        "While thanking China on behalf of the Swedish government for the concrete gesture of solidarity that "
        "President Xi had addressed to the Swedish populations affected by the floods in the northern and western "
        "regions, Berg wished to point out that it is important to have constructive exchanges."
    )
    got = positions(make_readout, body, publisher="CHN")
    assert ("SWE", "appreciate", "CHN") in got and ("SWE", "call", None) in got, got
    assert not any(h == "CHN" for h, _s, _t in got), got


def test_fronted_and_participial_clauses(make_readout) -> None:
    body = LEAD_CN + (
        "While thanking China for the gesture of solidarity, Berg said that it is important to have regular "
        "exchanges. Foreign Minister Anna Berg met Foreign Minister Wang Yi, thanking him for visiting Malmo."
    )
    got = issues(make_readout, body, publisher="CHN")
    assert "have regular exchanges" in got[("SWE", "call")] and ("CHN", "call") not in got, got
    assert "visiting Malmo" in got[("SWE", "appreciate")], got


def test_a_name_without_its_diacritics_and_a_prescription_for_another(make_readout) -> None:
    body = (
        "Vietnamese Minister of Foreign Affairs Bùi Thanh Sơn met with ASEAN Secretary-General Kao Kim Hourn.\n\n"
        "Son held that ASEAN should build a strong economic pillar. His son was present."
    )
    got = positions(make_readout, body, publisher="VNM")
    assert ("VNM", "call", "ORG:ASEAN") in got, got
    assert not any(h == "ORG:ASEAN" for h, _s, _t in got), got


def test_list_items_headings_own_subjects_and_vocatives(make_readout) -> None:
    body = (
        "Foreign Minister Wang Yi met Foreign Minister Anna Berg of Sweden. The overview of the meeting is as "
        "follows:\n\n1. Opening\n\n- Minister Berg welcomed the opening of a consulate in Malmo.\n\n"
        "- Dear Minister Berg, we are ready to deepen trade."
    )
    got = issues(make_readout, body, publisher="CHN")
    assert not any("Opening" in x for v in got.values() for x in v), got
    assert ("CHN", "appreciate") not in got and any("consulate" in x for x in got[("SWE", "appreciate")]), got
    assert ("SWE", "commit") not in got, got  # "Dear Minister Berg, ..." addresses Berg: she is not its subject


def test_an_overview_heading_gives_its_items_no_stance(make_readout) -> None:
    body = (
        "Foreign Minister Wang Yi met Foreign Minister Anna Berg of Sweden. An overview of the meeting is as "
        "follows:\n\n1. At the beginning, Foreign Minister Berg stated regarding China's reforms that she was pleased "
        "by the progress China had made."
    )
    got = issues(make_readout, body, publisher="CHN")
    assert ("CHN", "commit") not in got and got.get(("SWE", "appreciate")) == ["progress China had made"], got


def test_they_and_their_teams_is_one_subject(make_readout) -> None:
    body = LEAD_CN + "The leaders agreed that they and their teams would consult closely on the Arctic."
    got = issues(make_readout, body, publisher="CHN")
    label = ["consult closely on the Arctic"]
    assert got == {("CHN", "agree"): label, ("SWE", "agree"): label}, got


def test_one_states_institutions_are_one_target(make_readout) -> None:
    body = LEAD_CN + "Wang Yi congratulated the Party, State and people of Sweden on their achievements against COVID-19."
    assert issues(make_readout, body, publisher="CHN") == {("CHN", "appreciate"): ["achievements against COVID-19"]}
    assert ("CHN", "appreciate", "SWE") in positions(make_readout, body, publisher="CHN")


def test_the_thanked_are_no_issues_and_a_stated_aim_is_no_speech(make_readout) -> None:
    body = LEAD_CN + (
        "Berg thanked the mayor, the regional council and the volunteers of Malmo for their help. "
        "Berg praised the envoy's stated willingness to mediate."
    )
    got = issues(make_readout, body, publisher="CHN")
    assert got[("SWE", "appreciate")] == ["help", "envoy's stated willingness to mediate"], got


def test_and_the_importance_of_is_a_call_of_its_own_except_in_a_topic(make_readout) -> None:
    body = LEAD_CN + (
        "Berg reaffirmed her strong support for NATO and the importance of bolstering deterrence. "
        "They discussed the situation in Ethiopia and the importance of safe passage. "
        "They affirmed the historic and strategic importance of the partnership."
    )
    got = issues(make_readout, body, publisher="CHN")
    assert got[("SWE", "call")] == ["bolstering deterrence", "partnership"], got
    assert any("NATO" in x for x in got[("SWE", "support")]), got
    topics = [t["issue"] for t in extract(make_readout(body, publisher="CHN"))["meeting"]["topics"]]
    assert "situation in Ethiopia" in topics and any("safe passage" in t for t in topics), topics


def test_anothers_support_inside_thanks_and_charges_are_no_stances_of_the_holder(make_readout) -> None:
    body = LEAD_CN + (
        "Berg extended Sweden's thanks for China's endorsement and support for the Arbitrary Detention Initiative. "
        "Berg said the EU has sanctioned people accused of supporting the destabilisation of Ukraine. "
        "Berg conveyed Sweden's full and steadfast support for the mission."
    )
    got = roles(make_readout, body, publisher="CHN")
    assert not any(r[1] == "support" and r[2] in ("CHN", "UKR") for r in got), got
    assert ("SWE", "appreciate", "CHN", None) in got and ("SWE", "support", None, None) in got, got


def test_the_author_of_an_act_is_its_target_not_its_victim(make_readout) -> None:
    body = "Joint Statement of Sweden and Norway\n\nWe condemn the attacks by the Russian military on civilians."
    got = roles(make_readout, body, title="Joint Statement of Sweden and Norway", publisher="SWE")
    assert ("SWE", "oppose", "RUS", None) in got, got


def test_a_stance_toward_an_actor_alone_keeps_its_verb_in_the_label(make_readout) -> None:
    got = issues(make_readout, LEAD_CN + "Berg said Sweden stands with China.", publisher="CHN")
    assert got == {("SWE", "support"): ["stands with China"]}, got
    got = issues(make_readout, LEAD_CN + "Berg announced a sanctions package against the regime.", publisher="CHN")
    assert ("SWE", "commit") not in got, got


def test_an_evaluated_actor_is_not_the_holder(make_readout) -> None:
    body = LEAD_CN + (
        '"UN agencies, including the United Nations Relief and Works Agency, are playing a crucial role in '
        'delivering aid," Berg said. Pleased that our bilateral trade is balanced, Berg thanked Wang Yi. '
        "Berg highlighted the resilience and strength of the people of Ukraine."
    )
    got = positions(make_readout, body, publisher="CHN")
    assert ("SWE", "appreciate", "ORG:UN") in got, got
    assert not any(h.startswith("ORG:") for h, _s, _t in got), got
    assert ("SWE", "appreciate", "UKR") in got, got


def test_neither_part_of_a_compound_adjective_is_a_subject(make_readout) -> None:
    body = LEAD_CN + "Berg said the Israeli-Palestinian conflict is the source of tension in the region."
    assert {h for h, _s, _t in positions(make_readout, body, publisher="CHN")} == {"SWE"}
    body = "President Tom Hale met President Abdel El-Sisi of Egypt.\n\nPresident Hale and President El-Sisi agreed to meet."
    assert {h for h, _s, _t in positions(make_readout, body, publisher="USA")} == {"USA", "EGY"}


def test_an_issue_of_two_actors_is_one_per_actor_except_between_them(make_readout) -> None:
    body = (
        "President Tom Hale spoke with Prime Minister Ken Sato of Japan and President Kim Ho of the Republic of Korea."
        "\n\nPresident Hale underscored the commitment to the defense of both Japan and the Republic of Korea. "
        "He stressed the importance of ties between the people of the United States and Japan."
    )
    got = roles(make_readout, body, publisher="USA")
    assert {("USA", "commit", "JPN", None), ("USA", "commit", "KOR", None)} <= got, got
    assert issues(make_readout, body, publisher="USA")[("USA", "call")] == [
        "ties between the people of the United States and Japan"
    ]


def test_a_pronoun_after_that_is_the_main_clauses_named_subject(make_readout) -> None:
    body = LEAD_CN + "Wang Yi welcomed the talks. Minister Berg ended by assuring that she is ready to work with China."
    assert ("SWE", "commit", "CHN") in positions(make_readout, body, publisher="CHN")


def test_and_will_starts_a_clause_of_its_own(make_readout) -> None:
    body = LEAD_CN + "Berg said Sweden will not be intimidated by Russia's threats and will continue to support Ukraine."
    got = roles(make_readout, body, publisher="CHN")
    assert {("SWE", "oppose", "RUS", None), ("SWE", "support", "UKR", None)} <= got, got


def test_hopes_to_visit_wishes_and_greetings(make_readout) -> None:
    body = LEAD_CN + (
        "Berg said that she looked forward to visiting China in the near future. "
        "Berg wished Wang Yi success in his future activities. "
        "Berg extended Passover greetings to him and the people of China. "
        "They exchanged invitations to visit their respective countries. "
        "Berg will travel to Beijing next month."
    )
    got = issues(make_readout, body, publisher="CHN")
    assert got[("SWE", "hope")] == [
        "visiting China in the near future", "success in his future activities", "Passover greetings",
        "visit their respective countries",
    ], got
    assert ("SWE", "commit") not in got, got


def test_a_programme_named_with_title_words_is_no_person(make_readout) -> None:
    body = LEAD_CN + "The ministers lent their support to the European Defense Industrial Development Program."
    got = roles(make_readout, body, publisher="CHN")
    assert ("SWE", "support", None, None) in got and ("SWE", "support", "CHN", None) not in got, got


def test_what_is_agreed_keeps_its_subject_and_the_pm_is_a_title(make_readout) -> None:
    body = (
        "The Prime Minister met the Commonwealth Secretary-General, Ana Ruiz.\n\n"
        "They agreed the summit in London would cement the partnership. "
        "The PM and Secretary-General agreed on the need for progress on reconciliation."
    )
    got = issues(make_readout, body, publisher="GBR")
    assert "summit in London would cement the partnership" in got[("GBR", "agree")], got
    assert any("reconciliation" in x for x in got[("ORG:COMMONWEALTH", "agree")]), got
    assert any("reconciliation" in x for x in got[("GBR", "agree")]), got


def test_parallel_that_clauses_touching_upon_and_a_second_predicate(make_readout) -> None:
    body = LEAD_CN + (
        "Berg reiterated that Sweden opposes any unilateral change to the status quo, that we expect differences to be "
        "resolved by peaceful means, and that the parties should talk.\n\n"
        "Touching upon trade, the ministers noted the positive dynamics of recent years, and outlined the next steps."
    )
    got = issues(make_readout, body, publisher="CHN")
    assert any("differences" in x for x in got[("SWE", "hope")]), got
    assert got[("CHN", "appreciate")] == ["trade: positive dynamics of recent years"], got


def test_a_label_cut_before_its_object_is_no_issue(make_readout) -> None:
    body = LEAD_CN + (
        "The leaders also concurred to strengthen cooperation on\n\nThey concluded the call by\n\n"
        "The overview is as follows:\n\n(1) At the beginning"
    )
    assert issues(make_readout, body, publisher="CHN") == {}


def test_no_cue_runs_across_a_sentence_end(make_readout) -> None:
    body = LEAD_CN + (
        "Wang Yi said China will consider providing vaccines once they are available. China is willing to make joint "
        "efforts with Sweden on clean energy. The U.S. commitment to the region was noted."
    )
    got = issues(make_readout, body, publisher="CHN")
    assert any("joint efforts with Sweden" in x for x in got[("CHN", "commit")]), got


def test_a_states_top_diplomat_is_that_state_and_new_year_wishes(make_readout) -> None:
    body = LEAD_CN + (
        "The two sides reviewed trade. Sweden's top diplomat underscored the country's commitment to working closely "
        "with China. Berg extended her best wishes to Wang Yi and his family for a happy New Year."
    )
    got = issues(make_readout, body, publisher="CHN")
    assert got == {("SWE", "commit"): ["working closely with China"], ("SWE", "hope"): ["happy New Year"]}, got


def test_thank_you_x_for_and_welcome_ceremonies(make_readout) -> None:
    body = LEAD_CN + (
        '"Thank you, China, for your help during the floods," Berg said. '
        "Following the official welcome ceremony, Berg and Wang Yi held talks."
    )
    got = roles(make_readout, body, publisher="CHN")
    assert {r for r in got if r[1] == "appreciate"} == {("SWE", "appreciate", "CHN", None)}, got
    assert issues(make_readout, body, publisher="CHN")[("SWE", "appreciate")] == ["help during the floods"]


def test_review_regressions_stay_fixed(make_readout) -> None:
    body = LEAD_CN + "The two ministers agreed on the following:\n\n- Trade facilitation\n\n- Climate cooperation"
    got = issues(make_readout, body, publisher="CHN")
    assert {"Trade facilitation", "Climate cooperation"} <= set(got[("SWE", "agree")]), got
    got = issues(make_readout, LEAD_CN + "Berg extended greetings to him.", publisher="CHN")
    assert got == {("SWE", "hope"): ["greetings"]}, got
    got = issues(make_readout, LEAD_CN + "‘We are ready to mediate,’ said Berg.", publisher="CHN")
    assert got == {("SWE", "commit"): ["mediate"]}, got
    got = issues(make_readout, LEAD_CN + "Berg said disputes should be resolved according to international law.",
                 publisher="CHN")  # fmt: skip
    assert any("international law" in x for x in got[("SWE", "call")]), got
    body = (
        "Foreign Minister Wang Yi held a meeting with Foreign Minister Anna Berg of Sweden and Foreign Minister "
        "Ola Dahl of Norway. The three ministers agreed to deepen Arctic research."
    )
    assert {h for h, s, _t in positions(make_readout, body, publisher="CHN") if s == "agree"} == {"CHN", "SWE", "NOR"}
    topics = [t["issue"] for t in extract(make_readout(
        LEAD_CN + "They discussed a range of issues related to energy security.", publisher="CHN"
    ))["meeting"]["topics"]]  # fmt: skip
    assert topics, topics
    got = issues(make_readout, LEAD_CN + "On a working visit to Oslo, Berg called for a ceasefire.", publisher="CHN")
    assert got == {("SWE", "call"): ["ceasefire"]}, got


def test_modals_and_evaluations_keep_their_stance(make_readout) -> None:
    got = issues(make_readout, LEAD_CN + (
        "Berg said we must ensure that we maintain credible deterrence. "
        "Berg said governance reform is critical to ensuring that democracy delivers. "
        "Berg said our partnership is vital for our continuing efforts to support the people of Ukraine."
    ), publisher="CHN")
    assert any("deterrence" in x for x in got.get(("SWE", "call"), [])), got
    assert any("governance reform" in x for x in got.get(("SWE", "call"), [])), got
    assert any("Ukraine" in x for x in got.get(("SWE", "support"), [])), got
    assert not any("deterrence" in x or "democracy" in x for x in got.get(("SWE", "commit"), [])), got


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("We reiterate our condemnation of the attacks on shipping.", ("SWE", "oppose")),
        ("We recommit to the goals of the Paris Agreement.", ("SWE", "commit")),
        ("We stand for open and fair trade.", ("SWE", "support")),
    ],
)
def test_joint_statement_style(make_readout, sentence: str, expected: tuple) -> None:
    lead = "Joint Statement of Sweden and Norway\n\n"
    rec = extract(make_readout(lead + sentence, title="Joint Statement of Sweden and Norway", publisher="SWE"))
    got = {(p["holder"], p["stance"]) for p in rec["positions"]}
    assert expected in got, got


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        # reported speech whose subject joins the speaker to the counterpart: both hold it
        ("Wang Yi said that he and his Swedish counterpart agreed to expand trade.", {("CHN", "agree"), ("SWE", "agree")}),
        # a speaker's own "we" stays the speaker's
        ("Wang Yi said that we agreed on nothing new with the visitors.", {("CHN", "agree")}),
        # plural references of every kind hold for each participant
        (
            "The two top diplomats expressed their delight at the progress of the railway.",
            {("CHN", "appreciate"), ("SWE", "appreciate")},
        ),
    ],
)
def test_joint_holders_in_speech_and_plurals(make_readout, sentence: str, expected: set) -> None:
    got = {(h, s) for h, s, _t in positions(make_readout, LEAD_CN + sentence, publisher="CHN")}
    assert got == expected, got


def test_later_counterparts_named_as_top_diplomats_or_with_a_shared_first_name(make_readout) -> None:
    body = (
        "Foreign Minister Chung Min-ho held talks with French Foreign Minister Jean Dupont on Wednesday in Paris.\n\n"
        "In the meeting with Luxembourg's top diplomat, Jean Weber, Chung discussed trade.\n\n"
        "Chung then discussed bilateral relations with his Hungarian counterpart Peter Nagy."
    )
    got = extract(make_readout(body, publisher="KOR"))["meeting"]["participants"]
    assert [(p["name"], p["state"]) for p in got] == [
        ("Chung Min-ho", "KOR"), ("Jean Dupont", "FRA"), ("Jean Weber", "LUX"), ("Peter Nagy", "HUN"),
    ], got


def test_multi_party_readout_finds_every_counterpart(make_readout) -> None:
    body = (
        "Foreign Minister Eli Dor of Israel spoke with Croatian Foreign Minister Ivo Maric on Thursday. "
        "Dor also spoke with Cypriot Foreign Minister Nikos Petrou and Guatemalan Foreign Minister Ana Ruiz. "
        "The two sides agreed to expand trade."
    )
    rec = extract(make_readout(body, publisher="ISR"))
    got = [(p["name"], p["state"]) for p in rec["meeting"]["participants"]]
    assert got == [("Eli Dor", "ISR"), ("Ivo Maric", "HRV"), ("Nikos Petrou", "CYP"), ("Ana Ruiz", "GTM")]
    # "the two sides" of the lead's meeting are its two parties, not everyone met later
    assert {p["holder"] for p in rec["positions"] if p["stance"] == "agree"} == {"ISR", "HRV"}


def test_labels_read_as_written(make_readout) -> None:
    body = LEAD_CN + (
        "Berg said Sweden supports the right to development and the will of the people. "
        "The two sides agreed that Sweden and China should deepen cooperation on digital trade. "
        "Berg welcomed the progress of Kenya – Austria relations."
    )
    labels = {p["issue"] for p in extract(make_readout(body, publisher="CHN"))["positions"]}
    assert {"right to development", "will of the people"} <= labels, labels
    # a clause is not cut between two actors, nor at the dash between two names
    assert "deepen cooperation on digital trade" in labels and "Sweden" not in labels, labels
    assert "progress of Kenya – Austria relations" in labels, labels


def test_long_labels_keep_their_prepositions() -> None:
    from kg.extract.labels import label_of

    text = (
        "the establishment of a permanent mechanism for regular consultations between the foreign ministries of the two "
        "countries on regional security"
    )
    label = label_of(text, 0, len(text))
    assert len(label.split()) <= 12 and " of " in label and " for " in label, label
    assert label.split()[-1] not in {"of", "for", "between", "on", "and"}, label


@pytest.mark.parametrize(
    ("text", "concept"),
    [
        ("the Global Alliance against Hunger and Poverty", None),
        ("South Africa's presidency", None),
        ("cooperation in Africa", "Africa"),
        ("the North Atlantic Alliance", "NATO"),
    ],
)
def test_concepts_are_not_parts_of_longer_names(text: str, concept: str | None) -> None:
    from kg.issues import vocabulary

    found = vocabulary().match(text, 0, len(text))
    assert (found.id if found else None) == concept


def test_delegation_heads_are_participants(make_readout) -> None:
    body = (
        "Political consultations between the foreign ministries of Sweden and Kenya were held in Nairobi. "
        "The Kenyan delegation was led by Grace Wanjiru, Principal Secretary of the Ministry of Foreign Affairs. "
        '"The sides confirmed their interest in expanding trade," noted the press service.'
    )
    rec = extract(make_readout(body, publisher="SWE"))
    assert ("Grace Wanjiru", "KEN") in {(p["name"], p["state"]) for p in rec["meeting"]["participants"]}
    # the attribution after a closing quotation mark is not part of the issue
    assert {p["issue"] for p in rec["positions"]} == {"expanding trade"}


def test_logistics_and_hosting_give_no_position(make_readout) -> None:
    body = LEAD_CN + (
        "Berg will then travel to Oslo. Wang Yi is expected to host a donors' conference next month. "
        "Berg will make an official trip to Beijing in May. Berg concluded a successful visit. "
        "Wang Yi welcomed Foreign Minister Berg to Beijing. I would now invite our guest to speak."
    )
    assert positions(make_readout, body, publisher="CHN") == set()
    # but a welcomed decision and an agreement to meet again are stances
    body = LEAD_CN + "Wang Yi welcomed Sweden's decision to join the initiative. The two sides agreed to speak again soon."
    got = positions(make_readout, body, publisher="CHN")
    assert ("CHN", "appreciate", "SWE") in got and ("SWE", "agree", None) in got, got


def test_an_organisations_counterpart_is_a_states(make_readout) -> None:
    lead = "NATO Secretary General Jens Olsen met with Prime Minister Tom Hale in London on Thursday."
    got = extract(make_readout(lead, publisher="ORG:NATO"))["meeting"]["participants"]
    assert [(p["name"], p["state"]) for p in got] == [("Jens Olsen", "ORG:NATO"), ("Tom Hale", "GBR")]


@pytest.mark.parametrize(
    ("title", "body", "publisher", "expected"),
    [
        # a bare name opening the title is the publisher's principal
        ("Wang Yi Meets with Deputy Secretary of State Tom Hale of US",
         "On October 29, Wang Yi met with US Deputy Secretary of State Tom Hale in Beijing.", "CHN",
         [("Tom Hale", "USA"), ("Wang Yi", "CHN")]),
        # a title word opening the title is no name
        ("Foreign Minister Meets Swedish Counterpart",
         "Foreign Minister Wang Yi met Swedish Foreign Minister Anna Berg.", "CHN",
         [("Wang Yi", "CHN"), ("Anna Berg", "SWE")]),
        # a place before a comma does not give the next person his state
        ("Talks in Oslo", "In a meeting in Oslo, Iranian Foreign Minister Reza Karimi and Norwegian Prime Minister "
         "Erna Berg discussed trade.", "IRN", [("Reza Karimi", "IRN"), ("Erna Berg", "NOR")]),
        # the UK's Foreign, Commonwealth and Development Office is not the Commonwealth
        ("Foreign Secretary meets Minister",
         "Foreign Secretary Tom Hale, Secretary of State for Foreign, Commonwealth and Development Affairs, met "
         "Foreign Minister Ana Ruiz of Peru.", "GBR", [("Tom Hale", "GBR"), ("Ana Ruiz", "PER")]),
        # a title in capitals names the publisher's principal
        ("ANNA BERG HAS MET WITH HER TURKISH COLLEAGUE",
         "The Minister of Foreign Affairs of Sweden met her Turkish counterpart, Ali Kaya, in New York.", "SWE",
         [("Ali Kaya", "TUR"), ("Anna Berg", "SWE")]),
        # a relative clause's "to attend" does not make the lead an announcement
        ("Japan-Peru Foreign Ministers' Meeting",
         "On May 2, Mr. SATO Ken, Minister for Foreign Affairs of Japan held a meeting with Hon. Ana Ruiz, Minister of "
         "Foreign Affairs of Peru, who is visiting Japan to attend the summit.\n\nMinister Sato welcomed Minister "
         "Ruiz's visit.", "JPN", [("SATO Ken", "JPN"), ("Ana Ruiz", "PER")]),
    ],
)
def test_participants_from_title_and_context(make_readout, title: str, body: str, publisher: str, expected: list) -> None:
    got = extract(make_readout(body, title=title, publisher=publisher))["meeting"]["participants"]
    assert [(p["name"], p["state"]) for p in got] == expected


def test_the_title_at_a_sentence_start_is_the_publishers_principal(make_readout) -> None:
    body = (
        "NATO Secretary General arrived in Athens for talks with Prime Minister Nikos Pappas. "
        "The Secretary General and Prime Minister Pappas discussed security. "
        "The Secretary General praised Greece for its contributions to NATO missions."
    )
    got = positions(make_readout, body, publisher="ORG:NATO")
    assert ("ORG:NATO", "appreciate", "GRC") in got and not any(h == "GRC" for h, s, _t in got if s == "appreciate")


def test_a_clause_subject_is_dropped_from_the_label_only_when_short() -> None:
    from kg.extract.labels import label_of

    for text, label in [
        ("Kyrgyzstan will continue to support China", "support China"),
        ("the two sides will strengthen trade", "strengthen trade"),
        ("the return of peace in Afghanistan would spur trade", "return of peace in Afghanistan would spur trade"),
    ]:
        assert label_of(text, 0, len(text)) == label


def test_signatories_and_groups_named_for_their_members(make_readout) -> None:
    body = (
        "Today, we, the leaders of Australia, India, Japan and the United States, met virtually. "
        "The Quad partners reaffirmed their support for ASEAN centrality. "
        "The United States and our European allies would respond with strong measures."
    )
    rec = extract(make_readout(body, title="Quad Leaders' Joint Statement", publisher="USA"))
    support = {p["holder"] for p in rec["positions"] if p["stance"] == "support"}
    assert support == {"AUS", "IND", "JPN", "USA"}
    assert "ORG:QUAD" not in {p["holder"] for p in rec["positions"]}


def test_one_speakers_we_is_that_speakers(make_readout) -> None:
    body = (
        "President Tom Hale welcomed Prime Minister Ana Ruiz of Peru to the White House. "
        "We need to coordinate better on fisheries."
    )
    rec = extract(make_readout(body, title="Remarks by President Hale Before His Meeting with Prime Minister Ruiz"))
    assert {p["holder"] for p in rec["positions"] if p["stance"] == "call"} == {"USA"}
    rec = extract(make_readout(body, title="Joint Statement of the United States and Peru"))
    assert {p["holder"] for p in rec["positions"] if p["stance"] == "call"} == {"USA", "PER"}


@pytest.mark.parametrize(
    ("sentence", "labels"),
    [
        # coordinated verb phrases are two items
        (
            "Berg stressed the need to modernise the ports and expand rail links.",
            {"modernise the ports", "expand rail links"},
        ),
        # but a verb that is a noun too does not split ("deepen cooperation and trade")
        ("The two sides agreed to deepen cooperation and trade.", {"deepen cooperation and trade"}),
        # shared heads are split, adjective lists are not
        ("Berg called for maritime and aviation safety.", {"maritime safety", "aviation safety"}),
        (
            "Berg stressed the importance of a stable, prosperous and resilient region.",
            {"stable, prosperous and resilient region"},
        ),
        # a list of classifying adjectives shares its head; "X of A and B" shares X
        (
            "The leaders committed to strengthening our political, military, and economic partnerships.",
            {"strengthening our political partnerships", "strengthening our military partnerships",
             "strengthening our economic partnerships"},
        ),
        (
            "Berg underscored the commitment to freedom of navigation and overflight.",
            {"freedom of navigation", "freedom of overflight"},
        ),
        # adjectives that are no adverbs stay in a long label ("friendly", "brotherly")
        (
            "The sides hailed the successful development of the friendly and brotherly relations between Peru and "
            "Chile in all areas over the last twenty years.",
            {"successful development of friendly and brotherly relations between Peru and Chile"},
        ),
        # trailing single nouns are items of their own, but those of an opposed or supported whole are not
        (
            "The two sides agreed on cooperation in the field of science, healthcare and education.",
            {"cooperation in the field of science", "healthcare", "education"},
        ),
        (
            "Berg opposed the three forces of terrorism, separatism and extremism.",
            {"three forces of terrorism, separatism and extremism"},
        ),
        # the items after "especially in", "including through" are items too; a venue after "including within" is not
        (
            "The two sides pledged to enhance ties, especially in politics, security and education.",
            {"enhance ties", "politics", "security", "education"},
        ),
        (
            "The two sides agreed to continue cooperation on health, including within the World Health Organization.",
            {"continue cooperation on health"},
        ),
        # a place after the last of a list of single nouns scopes over all of them
        (
            "Berg underscored the enduring interest in peace, stability, and prosperity in the Arctic.",
            {"peace, stability, and prosperity in the Arctic"},
        ),
        # adjectives of one noun inside a longer item stay with it; a purpose after a comma ends the object
        (
            "Berg pledged to back the reform programme, and to help the country emerge as a democratic, independent, "
            "and prosperous nation.",
            {"back the reform programme", "help the country emerge as a democratic, independent, and prosperous nation"},
        ),
        (
            "Berg pledged to support the reform programme, to ensure that the economy recovers.",
            {"reform programme"},
        ),
        # whom a speaker speaks for is no issue
        (
            "Berg conveyed condolences on behalf of the King, the Government, and the people to the families of the "
            "victims of the floods.",
            {"families of the victims of the floods"},
        ),
        # the objects of a preposition listed after a long head are items
        (
            "Berg called for close coordination with China to advance the partnership in diplomacy, security, the "
            "economy and technologies.",
            {"close coordination with China to advance the partnership in diplomacy", "security", "economy",
             "technologies"},
        ),
        # but not adjectives of one noun after the preposition
        (
            "Berg called for an open region of sovereign, resilient and prosperous states.",
            {"open region of sovereign, resilient and prosperous states"},
        ),
        # a list's "or" is a word, never the start of one ("organizations")
        (
            "Berg called for a report to identify the routes, organizations, and tactics of traffickers.",
            {"report to identify the routes", "organizations", "tactics of traffickers"},
        ),
        # a short way to a relation stays in the label
        (
            "Berg and Wang Yi reaffirmed the excellent state of bilateral relations.",
            {"excellent state of bilateral relations"},
        ),
        # a greeting is no welcome
        ("Berg said: you are welcome once again.", set()),
        # a parenthesis between a verb and its complement is no item
        (
            "The two sides agreed to prepare, in close coordination with each other, for the negotiations on the border.",
            {"negotiations on the border"},
        ),
        # a participle "agreed upon" is no new agreement
        ("The two sides discussed how to carry out the measures agreed upon at the summit.", set()),
        # a quoted name keeps its commas; "ranging from A and B to C" lists A, B and C; adjuncts of the whole are no items
        (
            "Berg pledged to support the \u201cBuild, Build, Build\u201d programme.",
            {'"Build, Build, Build" programme'},
        ),
        (
            "Berg pledged to deepen relations in various fields, ranging from the economy and security to culture, at "
            "multiple levels, under the leadership of the two Presidents.",
            {"economy", "security", "culture"},
        ),
        # two directions of one name share it
        (
            "The two ministers agreed to work together on the situation in the East and South China Sea.",
            {"situation in the East China Sea", "situation in the South China Sea"},
        ),
        # verbs that share one object stay one item; an appositive is no item
        (
            "The two sides resolved to further strengthen and modernize the alliance.",
            {"strengthen and modernize the alliance"},
        ),
        (
            "Berg pledged to consult Norway, its closest ally, and Denmark on the matter.",
            {"consult Norway", "Denmark on the matter"},
        ),
        # ", from A to B and C" is a range of items
        (
            "Berg called for closer economic relations, from fishing to steel production and energy industries.",
            {"closer economic relations", "fishing", "steel production", "energy industries"},
        ),
        # "along with its partners" is an adjunct; a clause with its own subject ends the list; a participle after a
        # comma starts a clause of its own
        ("Berg said Sweden remains ready to help with the talks, along with its partners.", {"help with the talks"}),
        ("Berg welcomed the level of cooperation, and this period is coming to an end.", {"level of cooperation"}),
        (
            "Berg congratulated China on its achievements in trade, underlining that the Party had led the way.",
            {"achievements in trade"},
        ),
        # a spaced dash between two names of one body ends no clause
        (
            "Berg hailed the outcomes of the meeting of the Sweden - China Commission on cooperation.",
            {"outcomes of the meeting of the Sweden - China Commission on cooperation"},
        ),
        # the members of one relation stay one item; the concerns a container lists are items even when actors
        (
            "The two sides agreed to deepen cooperation among Sweden, Norway and Denmark.",
            {"deepen cooperation among Sweden, Norway and Denmark"},
        ),
        (
            "Berg pledged to consult allies on the shared security concerns, including Iran, Iraq, and Syria.",
            {"Iran", "Iraq", "Syria"},
        ),
        # a name listing its parts before its head is one item; places listed are several
        (
            "The two sides signed a Research, Development, Test, and Evaluation Agreement.",
            {"Research, Development, Test, and Evaluation Agreement"},
        ),
        ("Berg voiced concern over abuses in Xinjiang, Tibet and Hong Kong.", {"abuses in Xinjiang", "Tibet", "Hong Kong"}),
        # the circumstance fronted in an agreed view is no issue
        (
            "The two sides shared the view that amid the fast changing situation, they would deepen trade.",
            {"deepen trade"},
        ),
        # a trailing source ("..., Trend reports.") is no item
        ("The two sides agreed to deepen trade, Trend reports.", {"deepen trade"}),
        # a trailing attribution is no item
        (
            "The two sides agreed to deepen cooperation in fields such as trade, tourism and culture, Berg said.",
            {"trade", "tourism", "culture"},
        ),
        # a list of nouns after a preposition is a list
        (
            "The two sides agreed to deepen cooperation on fisheries, tourism, and digital skills.",
            {"deepen cooperation on fisheries", "tourism", "digital skills"},
        ),
    ],
)
def test_coordination(make_readout, sentence: str, labels: set) -> None:
    got = {p["issue"] for p in extract(make_readout(LEAD_CN + sentence, publisher="CHN"))["positions"]}
    assert got == labels, got


def test_joint_statement_preamble_and_participial_clauses(make_readout) -> None:
    body = (
        "We, the leaders of Sweden and Norway,\n\nRecognising the importance of open markets;\n\n"
        "Noting with concern the rise in piracy;\n\nHave agreed as follows:\n\n1. We will strengthen maritime security.\n\n"
        "The two sides signed a memorandum, signalling the urgency of a ceasefire."
    )
    rec = extract(make_readout(body, title="Joint Declaration of Sweden and Norway", publisher="SWE"))
    got = {(p["holder"], p["stance"], p["issue"]) for p in rec["positions"]}
    for code in ("SWE", "NOR"):
        assert {(code, "call", "open markets"), (code, "concern", "rise in piracy"), (code, "call", "ceasefire")} <= got
    assert not any(issue == "as follows" for _h, _s, issue in got)


def test_a_commitment_reported_inside_a_welcome_is_its_authors(make_readout) -> None:
    body = LEAD_CN + "Wang Yi welcomed the pledge by Minister Berg to reopen the consulate in Shanghai."
    readout = make_readout(body, publisher="CHN")
    rec = extract(readout)
    got = {(p["holder"], p["stance"], p["issue"]) for p in rec["positions"]}
    assert ("SWE", "commit", "reopen the consulate in Shanghai") in got and ("CHN", "appreciate") in {g[:2] for g in got}
    for p in rec["positions"]:
        assert readout.text[p["start"] : p["end"]] == p["quote"]


def test_reported_speech_about_another_participant_is_that_participants(make_readout) -> None:
    body = (
        "Ambassador Omar Khan of Pakistan met OIC Secretary-General Ali Taha. "
        "He said the OIC secretary general appreciated Pakistan's robust engagement with the OIC. "
        "He said Pakistan would deepen its engagement."
    )
    got = positions(make_readout, body, publisher="PAK")
    assert ("ORG:OIC", "appreciate", "PAK") in got and ("PAK", "commit", None) in got, got
    assert ("PAK", "appreciate", "ORG:OIC") not in got


def test_topics_from_discussions_and_exchanges(make_readout) -> None:
    body = LEAD_CN + (
        "The two sides had a fruitful discussion on ways to increase trade. "
        "They also exchanged on the situation in Ethiopia. "
        "They discussed the situation in Afghanistan and the importance of coordinated efforts to secure safe passage."
    )
    topics = [t["issue"] for t in extract(make_readout(body, publisher="CHN"))["meeting"]["topics"]]
    assert "increase trade" in topics and "situation in Ethiopia" in topics, topics
    assert "situation in Afghanistan" in topics, topics
    assert not any(t in ("regional", "global challenges") for t in topics)


def test_topics_from_shared_views_without_containers_or_sources(make_readout) -> None:
    body = LEAD_CN + (
        "They shared their views on the strategic environment. "
        "The dialogue encompassed the border demarcation. "
        "They discussed a wide range of issues, including the People's Republic of Korea, Iran, and Peru. "
        "They reviewed mutual interests. "
        "They discussed a number of issues where the two sides differ. "
        "They exchanged views on water security, according to the Ministry of Foreign Affairs."
    )
    topics = [t["issue"] for t in extract(make_readout(body, publisher="CHN"))["meeting"]["topics"]]
    assert {"strategic environment", "border demarcation", "Iran", "Peru", "water security"} <= set(topics), topics
    assert not any(t.startswith(("range", "mutual", "number")) or "according" in t for t in topics), topics
    body = LEAD_CN + (
        "They discussed bilateral, regional as well as global issues of mutual interest. They reviewed the main "
        "dossiers of common interest. They discussed a range of bilateral"
    )
    assert extract(make_readout(body, publisher="CHN"))["meeting"]["topics"] == []


def test_topics_split_pairs_and_shared_heads_but_not_names(make_readout) -> None:
    body = LEAD_CN + (
        "They discussed bilateral ties and North Korean issues. "
        "They reviewed trade and economic cooperation. "
        "They discussed the negotiations between Russia and Ukraine. "
        "They also discussed Trinidad and Tobago. "
        "They exchanged views on a number of issues of mutual interest on the regional and international agenda."
    )
    topics = [t["issue"] for t in extract(make_readout(body, publisher="CHN"))["meeting"]["topics"]]
    assert topics == [
        "bilateral ties", "North Korean issues", "trade cooperation", "economic cooperation",
        "negotiations between Russia and Ukraine", "Trinidad and Tobago",
    ], topics


def test_names_are_never_common_words(make_readout) -> None:
    from kg.extract.people import find_persons
    from kg.gazetteer import gazetteer

    gaz = gazetteer()
    for text, name in [
        ("KUALA LUMPUR (May 9) - Prime Minister Anwar Ibrahim spoke with Prime Minister Tom Hale.", None),
        ("He met the Director of the Division of South Asia Tapas Adhikari.", "Tapas Adhikari"),
        ("Minister of Foreign Affairs and Expatriates Ayman Safadi met Minister Hanke Bruins Slot.", "Hanke Bruins Slot"),
        ("Secretary General of the Commonwealth of Independent States met President Tom Hale.", "Tom Hale"),
    ]:
        names = [p.name for p in find_persons(text, 0, len(text), gaz)]
        assert not any(n in ("KUALA LUMPUR", "Division", "Expatriates", "Independent States") for n in names), names
        if name:
            assert name in names, names


def test_the_states_of_a_plural_institution_are_the_subject(make_readout) -> None:
    body = LEAD_CN + "The Foreign Ministries of China and Sweden will continue close cooperation on consular matters."
    got = positions(make_readout, body, publisher="CHN")
    assert {("CHN", "commit"), ("SWE", "commit")} <= {(h, s) for h, s, _t in got}, got


def test_courtesy_calls_schedules_and_thanks_to_are_no_stances(make_readout) -> None:
    body = LEAD_CN + (
        "Berg also paid a courtesy call on Premier Li Qiang. "
        "Berg will meet with Premier Li Qiang on Wednesday. "
        "Thanks to Sweden's participation in the Council, the ministers agreed to coordinate."
    )
    got = positions(make_readout, body, publisher="CHN")
    assert not any(s in ("call", "commit", "appreciate") for _h, s, _t in got), got
    assert ("CHN", "agree", None) in got


def test_reported_stance_of_the_counterpart(make_readout) -> None:
    body = LEAD_CN + "Wang Yi noted that his Swedish counterpart expressed her worries over fishing quotas."
    got = positions(make_readout, body, publisher="CHN")
    assert ("SWE", "concern", None) in got and ("CHN", "concern", None) not in got, got


def test_a_phone_call_on_a_day_is_no_call_for_action(make_readout) -> None:
    body = "Foreign Minister Salem Al-Sabah of Kuwait received a phone call on Tuesday from US Secretary of State Tom Hale."
    rec = extract(make_readout(body, publisher="KWT"))
    assert rec["positions"] == [] and rec["meeting"]["initiator"] == "USA"


def test_a_name_with_commas_stays_one_issue(make_readout) -> None:
    body = LEAD_CN + (
        "The ministers stressed the importance of the Treaty of Good-Neighbourliness, Friendship and Cooperation."
    )
    labels = {p["issue"] for p in extract(make_readout(body, publisher="CHN"))["positions"]}
    assert labels == {"Treaty of Good-Neighbourliness, Friendship and Cooperation"}, labels


def test_actors_listed_in_an_object_are_not_issues(make_readout) -> None:
    body = LEAD_CN + "They look forward to establishing trilateral cooperation among Sweden, Norway, and Finland."
    labels = {p["issue"] for p in extract(make_readout(body, publisher="CHN"))["positions"]}
    assert not labels & {"Norway", "Finland", "and Finland"}, labels


def test_a_weak_verb_yields_to_a_noun_cue_after_its_modifiers(make_readout) -> None:
    body = LEAD_CN + "Berg highlighted the firm, unswerving and long-standing Swedish commitment to the security of Europe."
    assert issues(make_readout, body, publisher="CHN") == {("SWE", "commit"): ["security of Europe"]}


def test_mutual_support_and_a_pledge_to_keep_pressing_are_commitments(make_readout) -> None:
    body = LEAD_CN + (
        "The two ministers vowed to coordinate and support each other at the United Nations. "
        "Berg affirmed that Sweden will continue to press for an end to arbitrary detention."
    )
    got = issues(make_readout, body, publisher="CHN")
    assert set(got) == {("CHN", "commit"), ("SWE", "commit")}, got
    assert "end to arbitrary detention" in " ".join(got[("SWE", "commit")]), got


def test_recognising_that_is_a_shared_view_not_praise(make_readout) -> None:
    body = LEAD_CN + "The two ministers recognized that the ties between their peoples are a pillar of the partnership."
    got = issues(make_readout, body, publisher="CHN")
    assert set(got) == {("CHN", "agree"), ("SWE", "agree")}, got


def test_the_worlds_interest_is_a_call_ones_own_a_commitment(make_readout) -> None:
    body = LEAD_CN + (
        "Berg said the world has an interest in peace in the Baltic Sea. Sweden has a strong interest in clean energy."
    )
    got = issues(make_readout, body, publisher="CHN")
    assert got == {("SWE", "call"): ["peace in the Baltic Sea"], ("SWE", "commit"): ["clean energy"]}, got


def test_confirming_a_relation_is_a_commitment_to_it(make_readout) -> None:
    body = LEAD_CN + "The ministers confirmed their collaboration toward a free and open Indo-Pacific."
    got = issues(make_readout, body, publisher="CHN")
    assert set(got) == {("CHN", "commit"), ("SWE", "commit")}, got


def test_an_armed_group_named_for_a_state_is_not_that_state(make_readout) -> None:
    body = LEAD_CN + "Berg condemned the atrocities of the Islamic State of Iraq and the Levant."
    assert positions(make_readout, body, publisher="CHN") == {("SWE", "oppose", None)}


def test_an_abbreviation_keeps_its_full_stop_in_a_label(make_readout) -> None:
    body = LEAD_CN + "Berg stressed the importance of trilateral cooperation such as Sweden-China-U.S. and Sweden-China-EU."
    got = issues(make_readout, body, publisher="CHN")
    assert "Sweden-China-U.S." in got[("SWE", "call")], got


def test_a_doubled_letter_written_once_is_the_same_name(make_readout) -> None:
    body = (
        "On March 3, 2024, Foreign Minister Wang Yi held a phone call with Foreign Minister Anna Pettersson of Sweden. "
        "Wang Yi welcomed the progress of relations. Minister Peterson thanked China for its assistance during the floods."
    )
    assert ("SWE", "appreciate", "CHN") in positions(make_readout, body, publisher="CHN")


def test_topics_without_manner_adverbials_capitals_or_leftover_words(make_readout) -> None:
    body = LEAD_CN + (
        "The two ministers discussed in depth the next steps on the border. "
        "They confirmed the consistency of opinions on all the topics discussed as well as Stockholm and "
        "Beijing's commitment to dialogue."
    )
    topics = [t["issue"] for t in extract(make_readout(body, publisher="CHN"))["meeting"]["topics"]]
    assert "next steps on the border" in topics, topics
    assert not any(t.startswith("depth") or t in ("Stockholm", "discussed") for t in topics), topics


def test_topics_gone_over_communicated_and_mainly_listed(make_readout) -> None:
    body = LEAD_CN + (
        "The two officials also went over regional developments, mainly in Syria, Yemen and Libya. "
        "The two sides communicated on how to handle isolated cases."
    )
    topics = [t["issue"] for t in extract(make_readout(body, publisher="CHN"))["meeting"]["topics"]]
    assert {"Syria", "Yemen", "Libya", "handle isolated cases"} <= set(topics), topics


def test_what_may_not_be_done_or_justified_is_opposed(make_readout) -> None:
    body = LEAD_CN + (
        "Berg said that nations cannot be allowed to redraw borders by force. "
        "Berg said the kidnapping of civilians cannot be justified for any reason."
    )
    got = issues(make_readout, body, publisher="CHN")
    assert got == {("SWE", "oppose"): ["redraw borders by force", "kidnapping of civilians"]}, got


def test_a_fronted_noun_cue_with_a_passive_verb_is_the_participants(make_readout) -> None:
    body = LEAD_CN + (
        "The importance of expanding contacts in the cultural and humanitarian sphere was noted. "
        "The need for close coordination on regional issues was stressed."
    )
    got = issues(make_readout, body, publisher="CHN")
    assert got[("CHN", "call")] == got[("SWE", "call")], got
    assert set(got[("SWE", "call")]) == {
        "expanding contacts in the cultural sphere", "expanding contacts in the humanitarian sphere",
        "close coordination on regional issues",
    }, got


def test_whom_a_speaker_addresses_is_no_part_of_a_label() -> None:
    from kg.extract.labels import label_of

    text = "Dear Sergey Viktorovich, the talks on trade were fruitful"
    assert label_of(text, 0, len(text)) == "talks on trade were fruitful"


def test_an_item_without_an_actor_does_not_take_a_coordinated_items_actor(make_readout) -> None:
    body = LEAD_CN + (
        "Berg underscored support for the security of Norway, Finland, and Denmark, as well as the whole Nordic region."
    )
    got = roles(make_readout, body, publisher="CHN")
    assert {("SWE", "support", code, None) for code in ("NOR", "FIN", "DNK")} <= got, got
    assert ("SWE", "support", None, None) in got, got


def test_a_demonstrative_refers_back_to_the_author_of_the_acts(make_readout) -> None:
    body = LEAD_CN + (
        "Berg noted the recent missile tests by North Korea. The two ministers condemned these provocative acts and "
        "called for restraint."
    )
    got = roles(make_readout, body, publisher="CHN")
    assert {("CHN", "oppose", "PRK", None), ("SWE", "oppose", "PRK", None)} <= got, got
    labels = issues(make_readout, body, publisher="CHN")
    assert labels[("SWE", "oppose")] == ["these provocative acts"], labels


def test_what_the_parties_agree_is_unacceptable_they_oppose(make_readout) -> None:
    body = LEAD_CN + (
        "Both agreed that any military offensive by Norway in the Arctic would be an unacceptable escalation. "
        "They agreed that the summit would be critical."
    )
    got = roles(make_readout, body, publisher="CHN")
    assert {("CHN", "oppose", "NOR", None), ("SWE", "oppose", "NOR", None)} <= got, got
    labels = issues(make_readout, body, publisher="CHN")
    assert labels[("SWE", "oppose")] == ["any military offensive by Norway in the Arctic"], labels
    assert labels[("SWE", "agree")] == ["summit would be critical"], labels


def test_a_regime_named_for_its_leader_is_its_state() -> None:
    from kg.gazetteer import gazetteer

    assert gazetteer().lookup("Assad regime") == "SYR"


def test_the_commonwealth_is_not_a_ministrys_name_nor_the_cis() -> None:
    from kg.gazetteer import gazetteer

    gaz = gazetteer()
    text = "the Foreign, Commonwealth and Development Office; the Commonwealth; the Commonwealth of Independent States"
    assert [m.code for m in gaz.find(text)] == ["ORG:COMMONWEALTH", "ORG:CIS"]


def test_a_pronouns_stance_named_as_a_participants_own_is_that_participants(make_readout) -> None:
    body = (
        "Foreign Minister Wang Yi held a telephone conversation with IAEA Director General Rafael Grossi. "
        "He expressed the IAEA's willingness to support the talks between Tehran and Washington. "
        "Wang Yi supported dialogue between China and the Agency."
    )
    got = issues(make_readout, body, publisher="CHN")
    assert got[("ORG:IAEA", "support")] == ["talks between Tehran and Washington"], got
    assert got[("CHN", "support")] == ["dialogue between China and the Agency"], got


def test_a_stance_restated_naming_its_holder_is_one_position(make_readout) -> None:
    body = LEAD_CN + (
        "Berg conveyed Sweden's continued support for China's economic recovery. "
        "She added: Assured him of Sweden's continued support to China's economic recovery."
    )
    got = issues(make_readout, body, publisher="CHN")
    assert got[("SWE", "support")] == ["China's economic recovery"], got


def test_passive_topics_list_their_subjects_and_name_no_speaker(make_readout) -> None:
    body = LEAD_CN + (
        "Matters related to the relations, including the exchange of visits, trade, investment and tourism were "
        "discussed during the meeting. The main attention was paid to the implementation of agreements. "
        "Apart from stressing the urgency of a ceasefire, Berg expressed concern over the attacks."
    )
    rec = extract(make_readout(body, publisher="CHN"))
    topics = [t["issue"] for t in rec["meeting"]["topics"]]
    assert {"exchange of visits", "trade", "investment", "tourism", "implementation of agreements"} <= set(topics), topics
    assert {p["holder"] for p in rec["positions"]} == {"SWE"}, rec["positions"]


def test_what_a_relative_clause_says_should_be_is_a_call_of_the_holders(make_readout) -> None:
    body = LEAD_CN + (
        "The sides positively assessed the new format \u201cNordic \u2013 Central Asia\u201d, which should become a "
        "platform for policy dialogue, expanding trade, development of transport and communication, cultural and "
        "humanitarian cooperation."
    )
    got = issues(make_readout, body, publisher="CHN")
    assert got[("CHN", "call")] == got[("SWE", "call")], got
    assert {"expanding trade", "development of transport", "cultural cooperation", "humanitarian cooperation"} <= set(
        got[("SWE", "call")]
    ), got


def test_a_passive_call_and_a_wish_past_a_relative_aside(make_readout) -> None:
    body = LEAD_CN + (
        "Concern was expressed over the tense situation in the region and a call was made to resolve all differences "
        "through negotiations. Berg wished Wang Yi, who will soon leave his post, success in his future activities."
    )
    got = issues(make_readout, body, publisher="CHN")
    assert got[("CHN", "call")] == got[("SWE", "call")] == ["resolve all differences through negotiations"], got
    assert got[("SWE", "concern")] == ["tense situation in the region"], got
    assert ("SWE", "hope", "CHN") in positions(make_readout, body, publisher="CHN")
    assert got[("SWE", "hope")] == ["success in his future activities"], got


def test_a_commitment_to_support_is_support(make_readout) -> None:
    body = LEAD_CN + "Berg highlighted Sweden's commitment to work with Norway to support the Pacific states' priorities."
    got = issues(make_readout, body, publisher="CHN")
    assert got == {("SWE", "support"): ["Pacific states' priorities"]}, got


def test_importance_confirmed_shared_past_a_parenthesis_and_attention_drawn_are_calls(make_readout) -> None:
    body = LEAD_CN + (
        "They confirmed the importance of implementing the resolutions. We share the importance of maintaining "
        "readiness. Berg reiterated, in the context of the debate on reform, the need for the broadest consensus. "
        "Berg drew attention to strengthening the Academy. Berg praised Norway as a partner sharing the importance of "
        "the rule of law."
    )
    got = issues(make_readout, body, publisher="CHN")
    assert {"implementing the resolutions", "maintaining readiness", "broadest consensus", "strengthening the Academy"} <= (
        set(got[("SWE", "call")])
    ), got
    assert "rule of law" not in got[("SWE", "call")], got


def test_concluding_talks_is_no_agreement(make_readout) -> None:
    body = LEAD_CN + "Berg concluded wide-ranging and detailed talks with Wang Yi in Beijing."
    assert issues(make_readout, body, publisher="CHN") == {}


def test_a_purpose_of_a_place_and_a_participle_after_a_semicolon_keep_the_clause_subject(make_readout) -> None:
    body = LEAD_CN + (
        "They intend to continue military efforts in Iraq and Syria to ensure the defeat of ISIS. "
        "They committed to a dialogue on security; to align approaches on the Democratic People's Republic of Korea "
        "(DPRK); as well as affirming their dialogue on Arctic cooperation."
    )
    holders = {p["holder"] for p in extract(make_readout(body, publisher="CHN"))["positions"]}
    assert holders == {"CHN", "SWE"}, holders


def test_standing_up_for_ones_own_interests_is_a_commitment(make_readout) -> None:
    body = LEAD_CN + "Berg said Sweden will continue to stand up for its interests and values. Berg stood up for Norway."
    got = positions(make_readout, body, publisher="CHN")
    assert ("SWE", "commit", None) in got and ("SWE", "support", "NOR") in got, got


def test_a_second_stance_verb_after_and_and_intolerance(make_readout) -> None:
    body = LEAD_CN + (
        "We agree to work together on the Arctic and commit to continue facilitating humanitarian aid. "
        "We reaffirm our intolerance for corruption."
    )
    got = issues(make_readout, body, publisher="CHN")
    assert got[("SWE", "agree")] == ["Arctic"], got
    assert got[("SWE", "commit")] == ["continue facilitating humanitarian aid"], got
    assert got[("SWE", "oppose")] == ["corruption"], got


def test_an_evaluation_without_that_and_support_to_a_person(make_readout) -> None:
    body = LEAD_CN + (
        "Berg made clear that it is essential Swedish media are granted access to the conference. "
        "She conveyed the King's words of support to President Wang Lei."
    )
    got = issues(make_readout, body, publisher="CHN")
    assert got[("SWE", "call")] == ["Swedish media are granted access to the conference"], got
    assert any("words of support to President Wang Lei" in x for x in got[("SWE", "support")]), got


def test_a_fronted_adverb_and_participle_noting_a_high_level_is_both_sides_praise(make_readout) -> None:
    body = LEAD_CN + "Mutually noting the high level of political dialogue, the sides agreed to deepen trade."
    got = issues(make_readout, body, publisher="CHN")
    assert got[("CHN", "appreciate")] == got[("SWE", "appreciate")] == ["high level of political dialogue"], got


def test_considering_a_thing_fruitful_is_praise(make_readout) -> None:
    body = LEAD_CN + "Berg said Sweden considers the Stockholm meeting between the two ministers fruitful."
    got = issues(make_readout, body, publisher="CHN")
    assert got == {("SWE", "appreciate"): ["Stockholm meeting between the two ministers fruitful"]}, got


def test_a_mottos_words_are_no_items_and_one_pleased_is_one_holder(make_readout) -> None:
    body = LEAD_CN + (
        "They agreed to promote the mechanisms under the motto of good neighbourliness, friendship, and cooperation. "
        "Berg was pleased to note that China has promoted infrastructure development."
    )
    got = issues(make_readout, body, publisher="CHN")
    assert got[("SWE", "agree")] == ["promote the mechanisms under the motto of good neighbourliness"], got
    assert ("SWE", "appreciate") in got and ("CHN", "appreciate") not in got, got


def test_coordinated_congratulations_and_an_aspiration_for_anothers_act(make_readout) -> None:
    body = LEAD_CN + (
        "Berg conveyed the greetings of the King to China, its leadership, government and people, and sincere "
        "congratulations on the advent of the Spring Festival. They stressed their aspiration for Sweden to host the "
        "next round of the dialogue."
    )
    got = issues(make_readout, body, publisher="CHN")
    assert got[("SWE", "appreciate")] == ["advent of the Spring Festival"], got
    assert got[("SWE", "hope")][-1] == "host the next round of the dialogue", got
    assert not any(x in ("leadership", "government and people") for v in got.values() for x in v), got


def test_a_participle_inside_a_noun_phrase_is_no_stance(make_readout) -> None:
    body = LEAD_CN + (
        "They also touched upon the repeated and condemned acts of burning books. The two leaders welcomed progress on "
        "trade."
    )
    got = issues(make_readout, body, publisher="CHN")
    assert ("SWE", "oppose") not in got and got[("SWE", "appreciate")] == ["progress on trade"], got


def test_a_datelines_place_is_no_subject(make_readout) -> None:
    body = LEAD_CN + "Oslo: Foreign Minister Berg stressed the depth of the relations between Sweden and China."
    got = positions(make_readout, body, publisher="CHN")
    assert got == {("SWE", "commit", "CHN")}, got


def test_vague_passive_topics_and_containers_are_no_topics(make_readout) -> None:
    body = LEAD_CN + (
        "At the meeting, other issues of mutual interest and concern were also discussed. They exchanged views on a host "
        "of topics regarding the regional arenas, the regional agenda and a number of issues in the region."
    )
    topics = [t["issue"] for t in extract(make_readout(body, publisher="CHN"))["meeting"]["topics"]]
    assert topics == [], topics

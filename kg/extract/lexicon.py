"""Word lists for finding people in readouts: title words, words that are never names.

Kept apart from the rules in :mod:`kg.extract.people` so that they can grow without the rules
growing with them. All entries are lower-case.
"""

from __future__ import annotations

# Words of titles and offices ("State Councilor and Foreign Minister", "Director of the Office").
TITLE_WORDS = frozenset(
    """
    administration administrator admiral adviser advisor affairs africa air all-holiness ambassador
    americas amir and army asia assistant attorney baroness bureau cabinet ccp central chair chairman
    chairwoman chancellor chief chiefs colonel commerce commission commissioner committee commonwealth
    communications communist cooperation coordinator council councillor councilor counsellor counselor
    cpc crown defence defense delegation department deputy development director director-general
    director-general’s dr dr. duchess duke east economic economy ecumenical emir emirate envoy europe
    european excellency executive external federal finance first for force forces foreign general
    general's government governor grand h.e. head hemisphere her high highness his holiness homeland
    house hrh indo-pacific intelligence interior international joint justice king kingdom leader
    lieutenant lord madam majesty marshal mayor member middle minister ministers ministry mr mr. mrs
    minster mrs. ms ms. national navy north nsc of office official officials on pacific party patriarch people's
    people’s planning policy politburo political pope premier premier's president presidential prime
    prince principal queen relations representative republic secretariat secretary secretary- security
    senator senior sheikh sir south speaker special spokesman spokesperson spokeswoman staff staffs
    standing state state's state’s strategic sultan tanaiste taoiseach taoiseach's team the to trade
    treasury tánaiste under under-secretary ustad vice vice- vice-chairman vice-premier west white
    secretary-general secretary-general's secretary-general’s hon hon. honourable honorable rt rt.
    datuk dato dato' dato’ seri amb amb. h.e
    eurasia eurasian asian african arctic caribbean central western eastern northern southern multilateral
    consular protocol legal regional global oceania latin nordic baltic balkan balkans gulf perdana menteri
    expatriates expatriate emigrants diaspora worship integration immigration
    """.split()
)


# Capitalised words that start sentences or name things, never a person's name.
NON_NAME = frozenset(
    """
    a after also american americans an and april at august before bilateral both california call
    commission consultation consultations conversation council covid-19 d.c. day dc december department
    during excellency february following francisco friday g7 government has he held her highness his
    holds hosted house in it january joint jr jr. july june kingdom lunar majesty march margins may
    meeting meets met ministry monday nato new november october of office on oval people's people’s
    phone president-elect press readout release republic san saturday september she sheikh speaks spoke
    state statement summit sunday talks telephone that the they this thursday today trilateral trip
    tuesday un video virtual visit washington we wednesday welcomed white with year yesterday york
    women youth caucasus euro-atlantic atlantic shura
    """.split()
)


# Words of institution and event names ("Strategic Dialogue", "UN General Assembly").
INSTITUTION = frozenset(
    """
    act affairs africa agency agreement alliance army asia assembly bank bureau cabinet call caucus
    coalition commission committee conference congress consultation consultations conversation
    cooperation council counterpart counterparts court day declaration delegation delegations department
    dialogue east embassy europe force forum framework fund group health house initiative islami leaders
    meeting middle ministers ministry mission navy north ocean office officials organisation
    organization pacific parliament partnership party peninsula phone plan political press program
    programme public readout region relations sea security senate south stability statement strait
    strategy summit talks telephone treaty trip union video virtual visit week west year
    process order action agenda drive street avenue road square palace centre center tomb corridor
    """.split()
)


# Offices that only one state has, for a person whose title names no country ("Taoiseach X",
# "Assistant Secretary of State for Europe and Eurasia X" in another state's readout).
OFFICE_STATES = (
    (r"\b(?:taoiseach|t[aá]naiste)\b", "IRL"),
    (r"\bexternal\s+affairs\s+mini?ster\b", "IND"),
    (r"(?<!parliamentary\s)\b(?:assistant|deputy|under)\s+secretary\s+of\s+state\b", "USA"),
)


# The heads among the title words: a title names a person only with one of them ("European Defense
# Industrial Development Program" has none: it is no "European Defense" official called "Industrial").
HEAD_TITLES = frozenset(
    """
    minister ministers secretary president premier chancellor king queen prince princess emir amir sultan ambassador
    envoy director director-general chairman chair chairwoman head leader commissioner spokesperson spokesman
    spokeswoman adviser advisor governor mayor senator speaker representative coordinator counselor counsellor
    councilor councillor official officials general admiral colonel marshal lieutenant chief chiefs administrator
    taoiseach tanaiste tánaiste pope patriarch sheikh mr mr. mrs mrs. ms ms. dr dr. h.e h.e. hon hon. honourable
    honorable excellency highness majesty sir lord baroness dato dato' dato’ datuk amb amb. member vice-chairman
    vice-premier under-secretary secretary-general secretary-general's secretary-general’s principal duke duchess
    hrh he crown all-holiness holiness rt rt. seri ustad minster secretary- vice- premier's taoiseach's state's
    state’s general's director-general’s president-elect pm fm dpm vp nsa mp
    """.split()
)

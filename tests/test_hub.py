"""Loading a hub written only from the contract: ids, slugs, references, figures."""

import datetime as dt

from conftest import BUILD_DATE, FIXTURES

from jiangtang.figures import compute
from jiangtang.hub import load_hub

COUNTY = FIXTURES / "county" / "mkdocs.yml"


def load():
    hub, report = load_hub(COUNTY, today=BUILD_DATE)
    assert not report.failed(), report.render()
    return hub


def test_every_file_becomes_a_record():
    hub = load()
    assert sorted(hub.lectures) == ["kuaidi", "tianjian", "实践论"]
    assert len(hub.speakers) == 9 and "zhou-ming" in hub.speakers  # .yml accepted
    assert len(hub.sessions) == 5


def test_fields_are_read():
    hub = load()
    lec = hub.lectures["tianjian"]
    assert lec.date == dt.date(2024, 5, 20)  # quoted date accepted
    assert lec.speakers == ["单丽", "张伟-岔河"] and lec.topics == ["乡村振兴"] and lec.audiences == ["农村党员"]
    assert lec.orderable is True and lec.duration is None
    assert [a["title"] for a in lec.attachments] == ["提纲", "政策原文"]
    assert hub.lectures["实践论"].duration == 45 and hub.lectures["实践论"].summary == "读原著，谈调查研究。"
    sp = hub.speakers["单丽"]
    assert (sp.team, sp.town, sp.role, sp.topics) == ("百姓名嘴", "岔河镇", "退休教师", ["乡村振兴"])
    assert "晒场" in sp.bio
    s = hub.sessions[0]
    assert (s.time, s.venue, s.mode, s.audience) == ("19:30", "新华村晒场", "集中宣讲", 60)


def test_slugs_explicit_derived_and_overridden():
    hub = load()
    assert hub.lectures["kuaidi"].slug == "kuai-di"
    assert hub.lectures["实践论"].slug == "shi-jian-lun"
    slugs = {i: s.slug for i, s in hub.speakers.items()}
    assert slugs["单丽"] == "shan-li" and slugs["曾国华"] == "zeng-guo-hua" and slugs["解晓东"] == "xie-xiao-dong"
    assert slugs["仇红梅"] == "qiu-hong-mei" and slugs["乐天"] == "le-tian" and slugs["安然"] == "an-ran-custom"
    assert slugs["张伟-岔河"] == "zhang-wei-cha-he" and slugs["张伟-洋口"] == "zhang-wei-yang-kou"


def test_indexes_and_upcoming():
    hub = load()
    assert [s.date.year for s in hub.sessions_of_lecture("tianjian")] == [2099, 2024]
    assert [lec.id for lec in hub.lectures_of_speaker("单丽")] == ["tianjian"]
    assert sum(hub.is_upcoming(s) for s in hub.sessions) == 1


def test_headline_figures_equal_sums_over_records():
    f = compute(load())
    assert (f.lectures, f.speakers, f.sessions_held, f.sessions_upcoming) == (3, 9, 4, 1)
    assert f.speakers_by_team == {"党员干部": 3, "理论专家": 2, "百姓名嘴": 4}
    assert f.audience == 60 + 20 + 100 + 35 and f.online_viewers == 1500
    assert set(f.towns) == {"岔河镇", "洋口镇", "掘港街道"}


def test_vocabulary_defaults_apply():
    hub = load()
    assert hub.config.vocab.teams == ("党员干部", "理论专家", "百姓名嘴")
    assert "船头课堂" in hub.config.vocab.classroom_kinds and hub.config.vocab.classroom_group("云课堂") == "网上课堂"
    assert hub.config.vocab.towns == ()

"""Slugs and pinyin readings (content contract v1, "Ids and permalinks")."""

import pytest

from jiangtang.slugs import heading_slugify, is_valid_slug, name_slug, name_sort_key, slugify


@pytest.mark.parametrize("name, slug", [
    ("单丽", "shan-li"), ("曾国华", "zeng-guo-hua"), ("解晓东", "xie-xiao-dong"), ("仇红梅", "qiu-hong-mei"),
    ("吕女士", "lv-nv-shi"), ("张伟-岔河", "zhang-wei-cha-he"), ("zhou-ming", "zhou-ming"), ("尉迟恭", "yu-chi-gong"),
])
def test_name_slug_uses_surname_readings(name, slug):
    assert name_slug(name) == slug


def test_pinyin_override_wins():
    assert name_slug("乐天", "le tian") == "le-tian"
    assert name_slug("乐天") == "yue-tian"


@pytest.mark.parametrize("text, slug", [
    ("高标准农田", "gao-biao-zhun-nong-tian"), ("2022年APP推广", "2022-nian-app-tui-guang"),
    ("Ｈｅｌｌｏ　世界！", "hello-shi-jie"), ("绿色", "lv-se"), ("《实践论》导读", "shi-jian-lun-dao-du"), ("!!", ""),
])
def test_slugify(text, slug):
    assert slugify(text) == slug


def test_heading_ids_are_pinyin_and_never_empty():
    assert heading_slugify("实践论") == "shi-jian-lun"
    assert heading_slugify("一、为什么要抱团学？") == "yi-wei-shen-me-yao-bao-tuan-xue"
    assert heading_slugify("？！") == "section"


def test_slug_pattern():
    assert is_valid_slug("shan-li") and is_valid_slug("a1")
    assert not is_valid_slug("Shan Li") and not is_valid_slug("-a") and not is_valid_slug("a--b") and not is_valid_slug("")


def test_name_sort_key_orders_by_surname_reading():
    names = ["张伟", "单丽", "安然", "仇红梅"]
    assert sorted(names, key=name_sort_key) == ["安然", "仇红梅", "单丽", "张伟"]

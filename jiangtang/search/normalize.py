"""Text normalisation shared by the index builder and the browser search.

The browser code in ``assets/search/search.js`` implements exactly the same
per-character mapping (NFKC, lower case, traditional→simplified table, every
non-letter/non-digit becomes a separator), so a query and the indexed text are
compared in the same alphabet.  The traditional→simplified table is exported to
the JavaScript by :func:`t2s_table_json`.
"""

from __future__ import annotations

import json
import unicodedata

#: Separator written for every character that is not a letter or digit.
SEP = " "

# Traditional → simplified forms of common characters (one-to-one only).
# Pairs are written "traditional simplified" in one string for compactness.
_T2S_PAIRS = (
    "這这們们個个來来時时為为說说國国學学對对會会過过後后發发經经讓让還还"
    "進进當当與与開开從从動动實实現现點点問问題题長长種种關关機机員员義义"
    "產产業业區区黨党習习記记書书講讲黃黄條条裡里裏里歷历導导幹干務务鄉乡"
    "鎮镇縣县農农業业強强興兴風风會会議议決决設设計计傳传達达報报縮缩經经"
    "濟济範范圍围組组織织紀纪廣广場场處处門门見见聽听覺觉寫写讀读識识話话"
    "語语詞词號号標标準准質质論论證证變变體体衛卫藝艺術术廳厅樓楼飯饭館馆"
    "園园邊边遠远運运選选鄧邓劉刘陳陈楊杨趙赵張张吳吴孫孙錢钱鄭郑馮冯蔣蒋"
    "韓韩許许蘇苏盧卢羅罗葉叶謝谢鄒邹龍龙萬万蕭萧嚴严華华馬马錦锦銀银鐵铁"
    "鋼钢電电腦脑網网頁页絡络軟软硬硬號号碼码單单雙双隊队陣阵陸陆陽阳陰阴"
    "際际雲云氣气溫温濕湿熱热灣湾漢汉滿满災灾燈灯煙烟愛爱感感態态總总戰战"
    "戲戏擇择擔担據据擴扩攜携敵敌數数斷断雜杂雞鸡難难離离類类顯显願愿顧顾"
    "飛飞養养餘余驗验體体髮发鬥斗魚鱼鳥鸟麥麦齊齐齒齿龜龟讚赞鹽盐團团圖图"
    "圓圆壓压壞坏壯壮聲声賣卖買买賽赛貨货貴贵費费資资貧贫責责財财貝贝購购"
    "車车軍军輕轻載载較较輸输辦办辭辞農农迴回遊游違违遲迟適适遷迁遺遗邁迈"
    "醫医釋释鍵键鏡镜長长閱阅闊阔隨随險险雖虽靈灵靜静響响頂顶項项順顺須须"
    "預预領领頭头頻频題题顏颜額额風风館馆驅驱驚惊鬧闹麗丽億亿倉仓價价優优"
    "億亿儀仪兒儿內内兩两冊册凍冻劃划劇剧勞劳勢势勵励勸劝匯汇協协厲厉參参"
    "叢丛啟启嗎吗團团執执堅坚報报塊块墻墙壇坛奮奋婦妇媽妈孫孙寧宁寶宝專专"
    "將将屆届層层岡冈嶺岭幣币師师帶带幫帮庫库庭庭廢废彈弹後后徑径復复徵征"
    "憶忆懷怀戶户拋抛挾挟捨舍掃扫揚扬換换損损搖摇撥拨擊击擠挤攝摄斬斩於于"
    "時时晉晋暢畅曆历會会東东棄弃棟栋椅椅極极構构槍枪樂乐樣样橋桥檢检權权"
    "歡欢歲岁歸归殘残殺杀氣气決决沒没溝沟滅灭漁渔潔洁濱滨灣湾無无煉炼營营"
    "爭争爺爷牆墙狀状獎奖獨独環环現现瑪玛產产畫画異异畝亩瘋疯盡尽監监盤盘"
    "眾众碩硕確确禮礼禍祸稅税穩稳窮穷筆笔築筑簡简糧粮紅红約约級级紛纷純纯"
    "紙纸細细終终結结給给統统絲丝綠绿維维綱纲網网緊紧線线練练縣县績绩繁繁"
    "續续罰罚聖圣聯联職职脅胁腳脚膽胆與与舊旧艱艰節节範范莊庄華华萬万葉叶"
    "蓋盖蘭兰虛虚蟲虫補补裝装複复規规視视親亲觀观訂订訓训託托記记訪访設设"
    "許许訴诉診诊詢询試试詩诗該该誌志認认誤误誠诚課课談谈請请諸诸調调謀谋"
    "講讲謙谦證证識识譯译護护讀读變变讓让豐丰豬猪貓猫賀贺賓宾賴赖贊赞趕赶"
    "趨趋蹤踪躍跃軌轨轉转輔辅輪轮辯辩邏逻郵邮鄰邻酒酒釀酿針针鈴铃錄录鍋锅"
    "鏈链鐘钟門门閃闪閉闭閒闲間间閣阁闆板闖闯闡阐隱隐雖虽雙双雜杂雞鸡霧雾"
    "韌韧頒颁頌颂領领頻频顆颗顛颠餐餐飲饮飽饱餅饼駐驻騎骑驗验鬆松鮮鲜鴨鸭"
    "麼么黨党點点齡龄龍龙庫库慶庆懂懂戀恋擁拥攤摊獻献確确鄉乡鎮镇縣县嶽岳"
    "訊讯徑径遞递賴赖遙遥壽寿貫贯貢贡飾饰憲宪倫伦態态創创廠厂廚厨嘗尝誕诞"
)

T2S: dict[str, str] = {
    _T2S_PAIRS[i]: _T2S_PAIRS[i + 1]
    for i in range(0, len(_T2S_PAIRS) - 1, 2)
    if _T2S_PAIRS[i] != _T2S_PAIRS[i + 1]
}


def is_word_char(ch: str) -> bool:
    """Tell whether one normalised code point is part of a word (letter or digit).

    Args:
        ch: a single code point.

    Returns:
        ``True`` for Unicode categories ``L*`` and ``N*`` (CJK ideographs, Latin
        letters, digits), ``False`` for punctuation, symbols, spaces, marks.
    """
    cat = unicodedata.category(ch)
    return cat[0] in ("L", "N")


def norm_char(ch: str) -> str:
    """Normalise one code point the way the index and the browser both do.

    NFKC (full-width → half-width, compatibility forms), lower case, the
    traditional → simplified table, and every non-word code point of the result
    replaced by :data:`SEP`.

    Args:
        ch: one code point of source text.

    Returns:
        The normalised form, one or more code points (NFKC may expand, e.g.
        ``"㍿"`` → ``"株式会社"``), never empty.
    """
    out = []
    for c in unicodedata.normalize("NFKC", ch).lower():
        c = T2S.get(c, c)
        out.append(c if is_word_char(c) else SEP)
    return "".join(out) or SEP


def normalize(text: str) -> str:
    """Normalise a whole string code point by code point with :func:`norm_char`.

    Args:
        text: any text.

    Returns:
        The normalised string; its length may differ from ``text`` only where
        NFKC expands a character.
    """
    return "".join(map(_TABLE.__getitem__, text))


class _NormTable(dict):
    """Memo of :func:`norm_char` (``dict.__missing__`` fills it on first use)."""

    def __missing__(self, ch: str) -> str:
        value = self[ch] = norm_char(ch)
        return value


_TABLE = _NormTable()


def t2s_table_json() -> str:
    """Return the traditional→simplified table as a compact JSON string for the JS.

    Returns:
        A JSON string literal holding the concatenated ``traditional simplified``
        pairs, e.g. ``"這这們们…"``.
    """
    return json.dumps("".join(k + v for k, v in T2S.items()), ensure_ascii=False)

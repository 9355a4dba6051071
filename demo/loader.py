"""The demo data behind `manage.py load_demo`: shops and products from the seed article, demo
accounts, and orders, refunds and interventions in every state.

Everything is built through the real services, with `now=` moments in the recent past, so every
row has the audit entries, deadlines, payments, penalties and notifications a real user's
actions would have left. Open items keep deadlines in the future; the few automatic moves
(auto-approve, auto-close, auto-confirm, an evidence window running out) are made by the real
deadline sweep at a past moment, before anything else exists that could be due then.

Loading is all-or-nothing (one transaction) and happens once: a database that already has the
demo accounts is left alone (`demo_is_loaded`). Starting again means starting from an empty
database, which is simpler than a reset that would fight the append-only audit trail and the
PROTECT foreign keys.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from core.models import VerifiedEmail
from core.roles import ensure_platform_groups
from core.rules import get_rules
from demo.photos import photo
from demo.pictures import label_photo, product_pictures, t_shirt
from demo.workflow import Pace, Workflow
from disputes import services as ds
from disputes.deadlines import enforce_deadlines
from disputes.models import (
    AppealDecision,
    Intervention,
    RefundKind,
    RefundReason,
    RefundRequest,
    RulingOutcome,
)
from merchants.models import Product, Shop
from merchants.services import (
    product_add_images,
    product_create,
    product_remove_image,
    product_update,
    return_address_add,
    shop_open,
)
from orders.models import Order
from penalties.services import shops_recompute_credit

DEMO_PASSWORD = "demo1234"
QUIET_ORDERS_PER_SHOP = 12

# The hot-selling list at the end of the seed article, kept here so that the demo still runs
# when the article is not at hand. (mark, title, price): 天 = Tmall-style shop, 淘 = Taobao-style.
EMBEDDED_CATALOGUE: list[tuple[str, str, str]] = [
    ("天", "杰克琼斯秋冬季男装毛衣针织衫略宽松衣身扎染设计字母贴布百搭潮", "349"),
    ("淘", "可爱短途旅行包女待产大容量学生手提轻便登机行李袋子可套拉杆箱", "20"),
    ("淘", "舒肤佳焕肤红石榴泡沫沐浴露排浊泡泡果酸持久留香山茶花沐浴乳", "39.72"),
    ("淘", "小李子耐克暗煞PHANTOM GX2中端FG/MG混钉NU1足球鞋男HF1595-500", "379.01"),
    ("淘", "小李子NIKE耐克刺客16次顶AG-PRO短钉比赛足球鞋成人男FQ8684-446", "348.08"),
    ("天", "Asics/亚瑟士新品超纤足球鞋男女DS LIGHT ACROS PRO3 AG水晶底", "559"),
    ("淘", "小李子PUMA彪马 FUTURE 9 高端MG短钉成人训练足球鞋男108897 01", "938.7"),
    ("淘", "日本进口VESS硅胶洗头刷洗头梳子清洁头皮抓痒按摩梳细长齿洗发梳", "32.3"),
    ("天", "头层牛皮真皮黄色招财钱包女长款2025新款拉链手拿包卡包皮夹折叠", "60.7"),
    ("天", "LeSportsac乐播诗新款TRENDY系列潮流可爱印花拉链收纳手拿包", "94"),
    ("淘", "化妆品彩妆套装全套组合眼影盘无毒幼儿园儿童女孩学生演出舞台妆", "19.9"),
    ("淘", "雪松香氨基酸香水洗发水沐浴露控油蓬松去屑止痒柔顺滋养改善毛躁", "20.6"),
    ("天", "【年货节】Moroccanoil摩洛哥油丰盈蓬松洗发水囤货装500ml", "367"),
    ("天", "春季新款皮带女装饰简约百搭装饰牛仔裤显瘦腰带牛皮潮黑男女款潮", "59.5"),
    (
        "天",
        "适用于荣耀手表5表带4尼龙编织磁吸扣腕带高级新款honor智能运动手表watch5/4男女生春夏替换带弹力透气配件",
        "18.8",
    ),
    ("天", "双飞人爽水非驱蚊花露水户外旅行开车劳顿非港版官方正品", "37"),
]

TMALL, TAOBAO = "天", "淘"
# Two shops of each style; the seed's items are dealt to them in turn. The last one is the shop
# one ruling away from the restriction threshold.
SHOPS: list[tuple[str, str, str]] = [  # (key, style, name)
    ("tmall1", TMALL, "天猫旗舰店 · 优品馆"),
    ("tmall2", TMALL, "天猫旗舰店 · 生活馆"),
    ("taobao1", TAOBAO, "淘宝店 · 运动好物"),
    ("taobao2", TAOBAO, "淘宝店 · 日用小铺"),
]
AT_RISK_SHOP = "taobao2"
# Where each shop takes its returns (name, phone, region, address), the default first: 优品馆
# keeps a second warehouse to show the choice of default.
RETURN_ADDRESSES: dict[str, list[tuple[str, str, str, str]]] = {
    "tmall1": [
        ("优品馆售后组", "0571-88886666", "浙江省 杭州市 余杭区", "仓前街道文一西路 998 号 3 号仓"),
        ("优品馆华南仓", "020-66668888", "广东省 广州市 白云区", "太和镇大源南路 12 号 退货组"),
    ],
    "tmall2": [("生活馆 王仓管", "13812345678", "江苏省 苏州市 吴中区", "木渎镇金枫南路 1258 号")],
    "taobao1": [("李店长", "13998765432", "福建省 泉州市 晋江市", "陈埭镇鞋都路 66 号 2 楼")],
    "taobao2": [("张小铺", "13700001111", "浙江省 金华市 义乌市", "福田街道商城大道 88 号")],
}

COLOURS = ["黑色", "白色", "藏青色", "米色", "红色", "灰色"]

_PRICE = re.compile(r"^¥\s*(\d+(?:\.\d+)?)")


@dataclass(frozen=True)
class SeedProduct:
    mark: str  # 天 or 淘
    title: str
    price: Decimal


@dataclass(frozen=True)
class Login:
    role: str
    username: str
    password: str
    note: str


@dataclass
class DemoResult:
    logins: list[Login]
    catalogue_source: str
    counts: dict[str, int] = field(default_factory=dict)


# --- the catalogue -------------------------------------------------------------------------


def parse_catalogue(text: str) -> list[SeedProduct]:
    """The hot-selling list of the seed article: a line "天<title>" or "淘<title>", then (within
    two lines, the first usually repeating the title) a line "¥<price> …"."""
    lines = [line.strip() for line in text.splitlines()]
    products = []
    for i, line in enumerate(lines):
        if len(line) < 2 or line[0] not in (TMALL, TAOBAO):
            continue
        for following in lines[i + 1 : i + 3]:
            match = _PRICE.match(following)
            if match:
                try:
                    price = Decimal(match.group(1)).quantize(Decimal("0.01"))
                except InvalidOperation:
                    break
                if price > 0:
                    products.append(SeedProduct(line[0], line[1:].strip()[:200], price))
                break
    return products


def embedded_catalogue() -> list[SeedProduct]:
    return [SeedProduct(mark, title, Decimal(price)) for mark, title, price in EMBEDDED_CATALOGUE]


def load_catalogue(path: Path | None) -> tuple[list[SeedProduct], str]:
    """The seed's products and where they came from; the embedded copy when the file is missing
    or lists nothing (so the app still runs without the article)."""
    if path is not None and path.is_file():
        products = parse_catalogue(path.read_text(encoding="utf-8"))
        if products and {p.mark for p in products} == {TMALL, TAOBAO}:
            return products, str(path)
    return embedded_catalogue(), "the embedded copy of the seed's list"


# --- accounts ------------------------------------------------------------------------------


def demo_usernames() -> list[str]:
    return ["admin", "supervisor", "agent", "buyer", "buyer2", *(key for key, _, _ in SHOPS)]


def demo_is_loaded() -> bool:
    return get_user_model().objects.filter(username__in=demo_usernames()).exists()


def demo_logins(password: str = DEMO_PASSWORD) -> list[Login]:
    shops = {key: name for key, _, name in SHOPS}
    logins = [
        Login("superuser", "admin", password, "everything, in the admin"),
        Login("supervisor", "supervisor", password, "an appeal waiting for a decision"),
        Login("agent", "agent", password, "interventions to rule (one under review)"),
        Login("buyer", "buyer", password, "orders and refunds in every state"),
        Login("buyer", "buyer2", password, "a second buyer"),
    ]
    for key, _, _ in SHOPS:
        note = shops[key]
        if key == AT_RISK_SHOP:
            note += " (10 points: one ruling from 12)"
        logins.append(Login("merchant", key, password, note))
    return logins


def _user(username: str, password: str, **extra):
    User = get_user_model()
    user = User.objects.create_user(
        username=username, email=f"{username}@demo.example", password=password, **extra
    )
    # The demo's addresses count as proved, so that its notices are e-mailed (to the console).
    VerifiedEmail.objects.create(user=user, address=user.email)
    return user


# --- the history ---------------------------------------------------------------------------


DEMO_PACE = Pace(
    pay=timedelta(minutes=5),
    cancel=timedelta(minutes=30),
    ship=timedelta(hours=8),
    deliver=timedelta(days=2),
    confirm=timedelta(days=3),
)
RATIONALE = "买家照片显示商品有质量问题，商家未能证明发货时完好。"


class _Builder:
    """Walks orders and refunds through the shared workflow driver at chosen moments before
    `now`, dealing each shop's products in turn."""

    def __init__(self, *, wf: Workflow):
        self.wf = wf
        self.now = wf.now
        self._turn: dict[int, Iterator[Product]] = {}
        zone = ZoneInfo(get_rules().penalty_period_timezone)
        self.period_start = datetime(self.now.astimezone(zone).year, 1, 1, tzinfo=zone)

    def ago(self, *, days: float = 0, hours: float = 0) -> datetime:
        return self.now - timedelta(days=days, hours=hours)

    def in_period(self, moment: datetime) -> datetime:
        """Points count in the calendar-year period: early in January, rulings that would fall
        in last year are moved to the start of this one."""
        return max(moment, self.period_start)

    def product(self, shop: Shop, *, cheap: bool = False) -> Product:
        if cheap:
            return shop.products.order_by("price", "pk").first()
        if shop.pk not in self._turn:
            self._turn[shop.pk] = _cycle(list(shop.products.order_by("pk")))
        return next(self._turn[shop.pk])

    def order(
        self, shop: Shop, buyer, state: str, *, at: datetime, product: Product | None = None
    ) -> Order:
        return self.wf.order(state, buyer=buyer, product=product or self.product(shop), at=at)

    def disputed(
        self,
        shop: Shop,
        buyer,
        *,
        start: datetime,
        description: str,
        rejection: str,
        statement: str,
        merchant_statement: str | None,
        reason: str = RefundReason.QUALITY_PROBLEM,
    ) -> Intervention:
        """A shipped order whose refund was rejected and escalated; with `merchant_statement`
        the shop answered too, which sends the case to review."""
        wf = self.wf
        order = self.order(shop, buyer, "shipped", at=start)
        refund = wf.file(
            order, at=start + timedelta(days=2), reason=reason, description=description
        )
        refund = wf.reject(refund, at=start + timedelta(days=3), reason=rejection)
        intervention = wf.escalate(refund, at=start + timedelta(days=4), statement=statement)
        if merchant_statement:
            intervention = wf.merchant_evidence(
                intervention, at=start + timedelta(days=5), statement=merchant_statement
            )
        return intervention


def _cycle(items: list[Product]) -> Iterator[Product]:
    while True:
        yield from items


def _build_history(b: _Builder, shops: dict[str, Shop], buyer, buyer2) -> None:
    tmall1, tmall2, taobao1, risky = (shops[k] for k in ("tmall1", "tmall2", "taobao1", "taobao2"))
    ago, wf = b.ago, b.wf

    # 1. What the deadline sweep decides, made first and swept at a past moment, so that the
    #    sweep meets nothing else. Merchant silent on a refund → auto-approved; buyer silent after
    #    a rejection → closed; a delivered order the buyer never confirmed → auto-confirmed; and
    #    an evidence window the at-risk shop let run out (its non-cooperation below).
    silent = b.order(risky, buyer2, "shipped", at=ago(days=11))
    wf.file(silent, at=ago(days=9), reason=RefundReason.NOT_RECEIVED, description="物流一直不动。")
    gave_up = b.order(tmall2, buyer, "shipped", at=ago(days=18))
    gave_up = wf.file(
        gave_up, at=ago(days=16), reason=RefundReason.NOT_AS_DESCRIBED, description="颜色不对。"
    )
    wf.reject(gave_up, at=ago(days=15), reason="图片与实物一致，属于显示器色差。")
    b.order(taobao1, buyer2, "delivered", at=ago(days=19))
    uncooperative = b.disputed(
        risky,
        buyer,
        start=ago(days=22),
        description="收到时商品已经破损。",
        rejection="发货前已检查，破损与本店无关。",
        statement="外箱完好但商品破损，有开箱视频。",
        merchant_statement=None,
        reason=RefundReason.DAMAGED_IN_TRANSIT,
    )
    enforce_deadlines(now=ago(days=6))

    # 2. The at-risk shop: 10 points this period (6 for a ruling it did not cooperate with,
    #    2 + 2 for two more), and a fourth case under review, ready for the agent: ruling it
    #    against the shop (2 points by default) reaches 12 and restricts the shop.
    wf.rule_against_merchant(
        uncooperative,
        at=b.in_period(ago(days=5)),
        rationale=RATIONALE,
        merchant_cooperated=None,  # the default: it gave no evidence, so it did not cooperate
    )
    for start, ruled in ((ago(days=16), ago(days=4)), (ago(days=12), ago(days=2))):
        case = b.disputed(
            risky,
            buyer2,
            start=start,
            description="用了一次就坏了。",
            rejection="买家使用不当导致损坏。",
            statement="第一次使用就断了，附照片。",
            merchant_statement="出厂检验合格。",
        )
        wf.rule_against_merchant(
            case, at=b.in_period(ruled), rationale=RATIONALE, merchant_cooperated=True
        )
    b.disputed(
        risky,
        buyer,
        start=ago(days=5, hours=12),
        description="收到的是旧款，包装被拆过。",
        rejection="发的就是页面上的款式。",
        statement="页面写的是新款，收到的是旧款，附对比照片。",
        merchant_statement="款式与页面一致，买家看错了。",
        reason=RefundReason.WRONG_ITEM,
    )

    # 3. Orders in every state, with no after-sales request.
    b.order(tmall1, buyer, "pending_payment", at=ago(hours=1))
    b.order(tmall1, buyer, "cancelled", at=ago(days=2))
    b.order(tmall2, buyer, "paid", at=ago(hours=3))
    b.order(taobao1, buyer, "shipped", at=ago(days=1, hours=12))
    b.order(tmall2, buyer, "delivered", at=ago(days=3))
    b.order(tmall1, buyer, "completed", at=ago(days=10))
    b.order(tmall1, buyer2, "completed", at=ago(days=30))

    # 4. Refunds in every state.
    requested = b.order(tmall1, buyer, "shipped", at=ago(days=2))
    requested = wf.file(
        requested,
        at=ago(hours=5),
        reason=RefundReason.NOT_AS_DESCRIBED,
        description="和页面描述不一样。",
    )
    # 协商历史 with photos on both sides: the buyer shows the flaw, the shop asks for the tag.
    wf.message(
        requested,
        buyer,
        "页面写的是纯棉，收到的面料有明显划痕，见照片。",
        photos=[photo("flaw.jpg", background="#dfe6ee", subject="#4a78b5", flaw="scratch")],
        at=ago(hours=4),
    )
    wf.message(
        requested,
        wf.merchant_of(tmall1.pk),
        "抱歉！请拍一下吊牌和面料标签，我们核实后尽快处理。这是我们仓库同款的吊牌位置：",
        photos=[photo("tag.jpg", background="#f3efe6", subject="#4a78b5")],
        at=ago(hours=3),
    )
    wf.message(
        requested,
        buyer,
        "吊牌在这里。",
        photos=[photo("label.jpg", background="#e9ecef", subject="#4a78b5")],
        at=ago(hours=2),
    )

    for_return = b.order(tmall2, buyer, "delivered", at=ago(days=4))
    for_return = wf.file(
        for_return, at=ago(days=1), kind=RefundKind.RETURN_AND_REFUND, description="不想要了。"
    )
    ds.refund_approve(refund=for_return, actor=wf.merchant_of(tmall2.pk), now=ago(hours=20))

    returned = b.order(taobao1, buyer, "delivered", at=ago(days=7))
    returned = wf.file(
        returned,
        at=ago(days=4),
        kind=RefundKind.RETURN_AND_REFUND,
        reason=RefundReason.WRONG_ITEM,
        description="发错颜色。",
    )
    returned = ds.refund_approve(refund=returned, actor=wf.merchant_of(taobao1.pk), now=ago(days=3))
    ds.refund_ship_return(
        refund=returned,
        actor=buyer,
        courier="sf",
        tracking_number="SF1400123456789",
        now=ago(days=1),
    )

    rejected = b.order(tmall1, buyer, "shipped", at=ago(days=4))
    rejected = wf.file(rejected, at=ago(days=2), description="边缘开线。")
    wf.reject(rejected, at=ago(days=1), reason="开线属于正常线头，可自行修剪。")

    # 协商方案: an offer waiting for the buyer, and one the buyer declined (the request then
    # reads as rejected: the buyer may edit it or apply for platform intervention).
    offered = b.order(taobao1, buyer, "delivered", at=ago(days=3))
    offered = wf.file(
        offered,
        at=ago(days=1),
        reason=RefundReason.QUALITY_PROBLEM,
        description="外壳有一道划痕。",
    )
    wf.offer(
        offered,
        amount=(offered.amount * Decimal("0.3")).quantize(Decimal("0.01")),
        message="划痕不影响使用，补偿部分金额，商品您留着可以吗？",
        at=ago(hours=6),
    )
    declined = b.order(tmall2, buyer2, "delivered", at=ago(days=5))
    declined = wf.file(
        declined,
        at=ago(days=3),
        kind=RefundKind.RETURN_AND_REFUND,
        reason=RefundReason.NOT_AS_DESCRIBED,
        description="颜色和图片差别很大。",
    )
    wf.offer(
        declined,
        amount=(declined.amount / 2).quantize(Decimal("0.01")),
        return_required=True,
        message="可以退货，运费各承担一半，退一半货款。",
        at=ago(days=2),
    )
    ds.refund_decline_offer(refund=declined, actor=buyer2, now=ago(days=1))

    zip_case = b.disputed(
        tmall2,
        buyer,
        start=ago(days=4, hours=10),
        description="拉链坏了。",
        rejection="拉链是好的，需要对齐。",
        statement="试了很多次都拉不上，附视频截图。",
        merchant_statement=None,
    )
    wf.message(
        zip_case.refund,
        buyer,
        "拉链头已经脱开了，照片里能看到。",
        photos=[photo("zip.jpg", background="#ece7e1", subject="#2f2f2f", flaw="tear")],
        at=ago(hours=9),
    )
    wf.message(
        zip_case.refund,
        wf.agent,
        "平台已介入。请商家在举证期限内上传发货前的拉链照片。",
        at=ago(hours=8),
    )

    paid_back = b.order(tmall1, buyer, "shipped", at=ago(days=6))
    paid_back = wf.file(paid_back, at=ago(days=5), reason=RefundReason.NOT_RECEIVED, description="")
    ds.refund_approve(refund=paid_back, actor=wf.merchant_of(tmall1.pk), now=ago(days=4))

    kept = b.order(
        risky, buyer2, "delivered", at=b.ago(days=8), product=b.product(risky, cheap=True)
    )
    kept = wf.file(
        kept, at=ago(days=5), kind=RefundKind.RETURN_AND_REFUND, description="质量一般，不想要了。"
    )
    ds.refund_approve_without_return(  # 退款不退货: the seed's advice for a low-value item
        refund=kept, actor=wf.merchant_of(risky.pk), now=ago(days=4)
    )

    confirmed = b.order(tmall2, buyer2, "delivered", at=ago(days=12))
    confirmed = wf.file(
        confirmed, at=ago(days=9), kind=RefundKind.RETURN_AND_REFUND, description=""
    )
    confirmed = ds.refund_approve(
        refund=confirmed, actor=wf.merchant_of(tmall2.pk), now=ago(days=8)
    )
    confirmed = ds.refund_ship_return(
        refund=confirmed,
        actor=buyer2,
        courier="zto",
        tracking_number="ZTO7700456789",
        now=ago(days=7),
    )
    ds.refund_confirm_return(refund=confirmed, actor=wf.merchant_of(tmall2.pk), now=ago(days=5))

    cancelled = b.order(taobao1, buyer, "shipped", at=ago(days=5))
    cancelled = wf.file(cancelled, at=ago(days=3), reason=RefundReason.NOT_RECEIVED, description="")
    ds.refund_cancel(refund=cancelled, actor=buyer, now=ago(days=2))

    # 5. Interventions past their ruling: ruled (still appealable), appealed (for the
    #    supervisor), overturned on appeal, won by the merchant, and conceded by the merchant.
    case = b.disputed(
        tmall1,
        buyer,
        start=ago(days=9),
        description="做工粗糙，有明显瑕疵。",
        rejection="属于正常工艺误差。",
        statement="瑕疵很明显，附细节照片。",
        merchant_statement="商品页已说明手工制作可能有细微差异。",
    )
    wf.rule_against_merchant(
        case,
        at=ago(days=3),
        outcome=RulingOutcome.BUYER_PARTIAL_REFUND,
        refund_amount=(case.refund.amount / 2).quantize(Decimal("0.01")),
        merchant_cooperated=True,
        rationale="商品确有瑕疵，但不影响使用：部分退款。",
    )

    case = b.disputed(
        tmall2,
        buyer2,
        start=ago(days=12),
        description="收到时外包装破损。",
        rejection="快递签收时未提出异议。",
        statement="签收后当场拍照，盒子压扁了。",
        merchant_statement="我们已向快递索赔，请平台参考物流记录。",
        reason=RefundReason.DAMAGED_IN_TRANSIT,
    )
    ruling = wf.rule_against_merchant(
        case, at=ago(days=6), rationale=RATIONALE, merchant_cooperated=True
    )
    ds.ruling_appeal(
        ruling=ruling,
        actor=wf.merchant_of(tmall2.pk),
        statement="快递公司出具了证明：破损发生在买家签收之后。",
        now=ago(days=2),
    )

    case = b.disputed(
        taobao1,
        buyer,
        start=ago(days=16),
        description="用了一周就坏了。",
        rejection="买家使用不当。",
        statement="正常使用，一周就坏了。",
        merchant_statement="商品页已提示使用条件，买家未按说明使用。",
    )
    ruling = wf.rule_against_merchant(
        case, at=ago(days=10), rationale=RATIONALE, merchant_cooperated=True
    )
    appeal = ds.ruling_appeal(
        ruling=ruling,
        actor=wf.merchant_of(taobao1.pk),
        statement="买家晒单视频显示其未按商品说明使用。",
        now=ago(days=8),
    )
    ds.appeal_decide(
        appeal=appeal,
        actor=wf.supervisor,
        decision=AppealDecision.OVERTURN,
        note="新证据表明使用不当，撤销处罚；买家保留退款，由平台补偿商家。",
        now=ago(days=6),
    )

    case = b.disputed(
        taobao1,
        buyer2,
        start=ago(days=10),
        description="没收到货。",
        rejection="物流显示已签收。",
        statement="家里没人收到。",
        merchant_statement="物流签收记录和快递柜取件码截图已上传。",
        reason=RefundReason.NOT_RECEIVED,
    )
    ds.intervention_rule(
        intervention=case,
        actor=wf.agent,
        outcome=RulingOutcome.MERCHANT_WINS,
        rationale="物流记录显示快递柜已取件，买家未提供反证。",
        merchant_responsible=False,
        now=ago(days=4),
    )

    case = b.disputed(
        tmall1,
        buyer2,
        start=ago(days=6),
        description="规格标错。",
        rejection="规格表已注明。",
        statement="实物和页面规格不一致。",
        merchant_statement=None,
        reason=RefundReason.NOT_AS_DESCRIBED,
    )
    ds.refund_concede(refund=case.refund, actor=wf.merchant_of(tmall1.pk), now=ago(days=1))

    _not_as_described(b, tmall1, buyer)

    # 6. Quiet sales over the last two months, so that lost-dispute rates (seller level and
    #    natural ranking) are measured against a realistic number of orders.
    for n in range(QUIET_ORDERS_PER_SHOP):
        for i, shop in enumerate(shops.values()):
            at = ago(days=15 + (n * 4 + i * 7) % 45, hours=n % 9)
            b.order(shop, (buyer, buyer2)[(n + i) % 2], "completed", at=at)
    # The rulings refreshed the credit as they went; the orders above came after them.
    shops_recompute_credit(now=b.now)


def _listed(shop: Shop, title: str, price: Decimal) -> Product:
    """A product of the seed's list, with a description, a specification and two pictures."""
    n = Product.objects.count()
    return product_create(
        shop=shop,
        title=title,
        price=price,
        description=f"{title}。\n官方正品，支持七天无理由退换货；48 小时内发货。",
        specification=f"颜色：{COLOURS[n % len(COLOURS)]}；规格：标准款",
        images=product_pictures(n),
    )


def _not_as_described(b: _Builder, shop: Shop, buyer) -> Intervention:
    """A "not as described" case under review whose listing the shop changed after the sale:
    the snapshot says 100% cotton, the buyer's photos show the label, and the product page now
    says cotton blend, with another picture (商品信息已更新，以下为下单时快照)."""
    wf = b.wf
    product = product_create(
        shop=shop,
        title="纯棉圆领短袖T恤男女同款宽松百搭",
        price=Decimal("59.00"),
        description="面料：100% 纯棉，200g 重磅，不起球不变形。",
        specification="颜色：白色；尺码：L",
        images=[t_shirt((250, 250, 250), "tee-white.jpg"), t_shirt((245, 245, 245), "tee.jpg")],
    )
    start = b.ago(days=6)
    order = b.order(shop, buyer, "shipped", at=start, product=product)
    refund = wf.file(
        order,
        at=start + timedelta(days=2),
        reason=RefundReason.NOT_AS_DESCRIBED,
        description="页面写 100% 纯棉，洗标是 60% 棉、40% 聚酯纤维。",
    )
    refund = wf.reject(refund, at=start + timedelta(days=3), reason="面料与页面描述一致。")
    intervention = ds.refund_escalate(
        refund=refund,
        actor=buyer,
        statement="下单时页面写的是 100% 纯棉，附洗标照片。",
        images=[label_photo(cotton=60), label_photo(cotton=60)],
        now=start + timedelta(days=4),
    )
    intervention = wf.merchant_evidence(
        intervention, at=start + timedelta(days=5), statement="页面标注为棉混纺，买家看错了。"
    )
    # After the sale, the shop rewrote the listing and replaced its cover.
    product_update(
        product=product,
        title=product.title,
        price=product.price,
        description="面料：棉混纺（60% 棉，40% 聚酯纤维），200g。",
        specification="颜色：米白色；尺码：L",
    )
    product_remove_image(image=product.images.get(position=0))
    product_add_images(product=product, images=[t_shirt((238, 230, 214), "tee-cream.jpg")])
    return intervention


# --- the whole load ------------------------------------------------------------------------


@transaction.atomic
def demo_load(
    *, seed: Path | None, password: str = DEMO_PASSWORD, now: datetime | None = None
) -> DemoResult:
    """Create the demo shops, products, accounts and history; all or nothing.

    Side effects: users and the two platform groups (with view permissions in the admin),
    shops and products, then orders, payments, refunds, interventions, rulings, appeals,
    penalty records, audit entries and notifications, all through the services.
    """
    now = (now or timezone.now()).replace(second=0, microsecond=0)
    catalogue, source = load_catalogue(seed)
    agents, supervisors = ensure_platform_groups()

    _user("admin", password, is_staff=True, is_superuser=True)
    supervisor = _user("supervisor", password, is_staff=True, first_name="主管")
    supervisor.groups.add(supervisors)
    agent = _user("agent", password, is_staff=True, first_name="客服小二")
    agent.groups.add(agents)
    buyer = _user("buyer", password, first_name="买家")
    buyer2 = _user("buyer2", password, first_name="买家二号")

    # Each shop's merchant acts on its orders and refunds (there is no default merchant).
    wf = Workflow(
        buyer=buyer,
        merchant=None,
        agent=agent,
        supervisor=supervisor,
        product=None,
        now=now,
        pace=DEMO_PACE,
    )
    shops: dict[str, Shop] = {}
    for key, _style, name in SHOPS:
        merchant = _user(key, password, first_name=name)
        shop = shop_open(owner=merchant, name=name)
        for recipient, phone, region, address in RETURN_ADDRESSES[key]:
            return_address_add(
                shop=shop, name=recipient, phone=phone, region=region, address=address
            )
        shops[key] = shop
        wf.merchants[shop.pk] = merchant
    for style in (TMALL, TAOBAO):
        keys = [key for key, s, _ in SHOPS if s == style]
        for i, item in enumerate(p for p in catalogue if p.mark == style):
            _listed(shops[keys[i % len(keys)]], item.title, item.price)
    for key, style, _name in SHOPS:
        if not shops[key].products.exists():  # a short seed list: keep every shop selling
            _listed(shops[key], f"{style} 演示商品", Decimal("99.00"))

    _build_history(_Builder(wf=wf), shops, buyer, buyer2)

    return DemoResult(
        logins=demo_logins(password),
        catalogue_source=source,
        counts={
            "shops": Shop.objects.count(),
            "products": Product.objects.count(),
            "orders": Order.objects.count(),
            "refunds": RefundRequest.objects.count(),
            "interventions": Intervention.objects.count(),
        },
    )

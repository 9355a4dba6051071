"""A marketplace at benchmark scale, written with COPY (`manage.py seed_bench --orders N`).

For N orders: N/200 shops (the first, the benchmark's "big shop", takes 1% of the orders),
N/5 buyers, 20 products a shop. Each order lives a timeline (placed, paid, shipped, delivered,
completed, or cancelled) cut off at the present, so that recent orders are still on their way.
About 10% of the orders get an after-sales request that walks one of the workflow's paths
(approved, returned, rejected and closed, revised, a negotiation offer accepted, declined or
left to close, cancelled, auto-approved, escalated) up to the present, 2% of the orders reach
a platform intervention; rulings against the shop give penalty records, and each crossing of
the restriction threshold in a period gives the restriction the rules prescribe. Every state
change has its audit entry, as the services write it. The shops' credit is then rebuilt by the
product's own `shops_recompute_credit`.

The rows obey every database constraint (one open request per order, refunds within the amount
paid, one ruling per intervention, one penalty per ruling and kind, …): they are written in
one transaction, so a refusal leaves the database empty.
"""

from __future__ import annotations

import random
import secrets
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone
from rest_framework.authtoken.models import Token

from core.models import ActorRole, AuditEntry, Notification
from core.roles import ensure_platform_groups
from core.rules import get_rules
from disputes.models import (
    Appeal,
    AppealDecision,
    Courier,
    Intervention,
    InterventionState,
    OfferOutcome,
    RefundKind,
    RefundOffer,
    RefundPayment,
    RefundReason,
    RefundRequest,
    RefundState,
    Ruling,
    RulingOutcome,
)
from merchants.models import Product, ReturnAddress, Shop, ShopStaff
from orders.models import Order, OrderItem, OrderState
from penalties.models import PenaltyKind, PenaltyRecord, Restriction
from penalties.services import shops_recompute_credit

PASSWORD = "bench-password"  # every seeded account's; the data set is for benchmarks only
BENCH_BUYER = "bench-buyer"
BENCH_MERCHANT = "bench-merchant"
BENCH_AGENT = "bench-agent"
BENCH_SUPERVISOR = "bench-supervisor"
POSTER_PREFIX = "bench-poster-"
POSTERS = 8  # one buyer per load-generator client for the refund filing POST
BIG_SHOP = "bench-big-shop"
CHUNK = 50_000  # orders generated and copied at a time
COLOURS = ("黑色", "白色", "灰色", "藏青色", "红色")  # the bench products' specifications

OS, R, IS = OrderState, RefundState, InterventionState
H, D = timedelta(hours=1), timedelta(days=1)
SYSTEM_ROLE = ActorRole.SYSTEM.value
BUYER_ROLE, MERCHANT_ROLE = ActorRole.BUYER.value, ActorRole.MERCHANT.value
AGENT_ROLE, SUPERVISOR_ROLE = ActorRole.AGENT.value, ActorRole.SUPERVISOR.value


class SeedRefused(RuntimeError):
    """The database is not empty, or not PostgreSQL."""


@dataclass(frozen=True)
class Sizes:
    orders: int
    shops: int
    buyers: int
    products_per_shop: int
    agents: int
    big_shop_orders: int
    bench_buyer_orders: int
    poster_orders: int

    @classmethod
    def for_orders(cls, n: int) -> Sizes:
        return cls(
            orders=n,
            shops=max(3, n // 200),
            buyers=max(10, n // 5),
            products_per_shop=20,
            agents=max(2, n // 50_000),
            big_shop_orders=max(20, n // 100),
            bench_buyer_orders=max(10, min(60, n // 100)),
            poster_orders=max(5, min(1000, n // 1000)),
        )


# --- writing -------------------------------------------------------------------------------


class Copier:
    """COPY rows into a model's table: the given columns, every other column its default."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.counts: dict[str, int] = defaultdict(int)

    def copy(self, model: type[models.Model], columns: Sequence[str], rows: Iterable[tuple]):
        given = set(columns)
        rest = [
            f
            for f in model._meta.concrete_fields
            if f.attname not in given and not (f.primary_key and isinstance(f, models.AutoField))
        ]
        defaults = tuple(f.get_default() for f in rest)
        names = ", ".join(f'"{c}"' for c in [*columns, *(f.column for f in rest)])
        table = model._meta.db_table
        n = 0
        with self.cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row + defaults)
                n += 1
        self.counts[table] += n


class Audit:
    """Audit entries and notifications, buffered for one COPY each per chunk."""

    COLUMNS = (
        "target_type_id",
        "target_id",
        "action",
        "from_state",
        "to_state",
        "actor_id",
        "actor_role",
        "note",
        "created_at",
    )
    NOTICE_COLUMNS = (
        "recipient_id",
        "kind",
        "message",
        "target_type_id",
        "target_id",
        "created_at",
        "read_at",
    )

    def __init__(self, now: datetime):
        self.now = now
        self.entries: list[tuple] = []
        self.notices: list[tuple] = []

    def add(self, ct, pk, action, frm, to, actor, role, note, at):
        if actor is None:
            role = SYSTEM_ROLE
        self.entries.append((ct, pk, action, frm, to, actor, role, note, at))

    def tell(self, recipient, kind, message, ct, pk, at, rng):
        read = at + timedelta(hours=rng.uniform(0.1, 30)) if at < self.now - 3 * D else None
        self.notices.append((recipient, kind, message[:500], ct, pk, at, read))

    def flush(self, copier: Copier):
        copier.copy(AuditEntry, self.COLUMNS, self.entries)
        copier.copy(Notification, self.NOTICE_COLUMNS, self.notices)
        self.entries, self.notices = [], []


def _money(value: float) -> Decimal:
    return Decimal(f"{max(value, 0.01):.2f}")


# --- the world: accounts, shops and products -------------------------------------------------


@dataclass
class World:
    now: datetime
    sizes: Sizes
    rng: random.Random
    ct: dict[str, int]
    agents: list[int] = field(default_factory=list)
    supervisor: int = 0
    owner_of: list[int] = field(default_factory=list)  # shop index → owner's user id
    # shop index → its default return address (name, phone, region, address)
    return_addresses: list[tuple[str, str, str, str]] = field(default_factory=list)
    buyers: list[int] = field(default_factory=list)
    bench_buyer: int = 0
    posters: list[int] = field(default_factory=list)
    products: list[list[tuple[int, str, Decimal]]] = field(default_factory=list)
    shop_weights: list[float] = field(default_factory=list)
    # Shop index → how often a ruling for the buyer holds the shop responsible: large shops
    # lose a smaller share of their (many) cases, so that no shop's points run off the scale.
    responsible: list[float] = field(default_factory=list)


def _accounts(world: World, copier: Copier) -> None:
    s, now = world.sizes, world.now
    password = make_password(PASSWORD)
    rows: list[tuple] = []
    uid = 0

    def user(username, *, staff=False, superuser=False):
        nonlocal uid
        uid += 1
        joined = now - timedelta(days=world.rng.uniform(200, 900))
        rows.append((uid, username, password, staff, superuser, True, joined))
        return uid

    world.agents = [user(BENCH_AGENT, staff=True)]
    world.agents += [user(f"agent-{i:04d}", staff=True) for i in range(2, s.agents + 1)]
    world.supervisor = user(BENCH_SUPERVISOR, staff=True)
    world.owner_of = [0] + [
        user(BENCH_MERCHANT if i == 1 else f"shop-{i:05d}-owner") for i in range(1, s.shops + 1)
    ]
    world.bench_buyer = user(BENCH_BUYER)
    world.posters = [user(f"{POSTER_PREFIX}{i}") for i in range(1, POSTERS + 1)]
    world.buyers = [user(f"buyer-{i:07d}") for i in range(1, s.buyers + 1)]
    user_model = get_user_model()
    copier.copy(
        user_model,
        ("id", "username", "password", "is_staff", "is_superuser", "is_active", "date_joined"),
        rows,
    )
    agents_group, supervisors_group = ensure_platform_groups()
    memberships = [(a, agents_group.pk) for a in world.agents]
    memberships.append((world.supervisor, supervisors_group.pk))
    copier.copy(user_model.groups.through, ("user_id", "group_id"), memberships)
    tokens = [world.bench_buyer, world.owner_of[1], world.agents[0], *world.posters]
    copier.copy(
        Token, ("key", "user_id", "created"), [(secrets.token_hex(20), u, now) for u in tokens]
    )


def _shops(world: World, copier: Copier) -> None:
    s, rng, now = world.sizes, world.rng, world.now
    shops, staff, products, addresses = [], [], [], []
    pid = 0
    world.products = [[]]
    world.return_addresses = [("", "", "", "")]
    for i in range(1, s.shops + 1):
        name = BIG_SHOP if i == 1 else f"拼团好物{i:05d}店"
        opened = now - timedelta(days=rng.uniform(200, 1500))
        shops.append((i, name, opened))
        staff.append((world.owner_of[i], i, True, opened))
        # One default return address per shop: a return the shop agrees to copies it.
        address = (f"{name} 售后", f"138{i:08d}", "浙江省 金华市 义乌市", f"福田街道 {i} 号 退货仓")
        world.return_addresses.append(address)
        addresses.append((i, *address, True, opened))
        catalogue = []
        for j in range(1, s.products_per_shop + 1):
            pid += 1
            price = _money(rng.lognormvariate(3.8, 0.9))
            title = f"{name} 商品{j:02d}"
            description = f"{title}：正品保障，七天无理由退换。"
            specification = f"颜色：{COLOURS[pid % len(COLOURS)]}；规格：标准款"
            products.append(
                (
                    pid,
                    i,
                    title,
                    price,
                    description,
                    specification,
                    rng.random() > 0.05,
                    opened + D * j,
                )
            )
            catalogue.append((pid, title, price, description, specification))
        world.products.append(catalogue)
    copier.copy(Shop, ("id", "name", "created_at"), shops)
    copier.copy(ShopStaff, ("user_id", "shop_id", "is_owner", "joined_at"), staff)
    copier.copy(
        ReturnAddress,
        ("shop_id", "name", "phone", "region", "address", "is_default", "created_at"),
        addresses,
    )
    copier.copy(
        Product,
        (
            "id",
            "shop_id",
            "title",
            "price",
            "description",
            "specification",
            "is_published",
            "created_at",
        ),
        products,
    )
    # Shop sizes are skewed (a few large shops, a long tail), the big shop set apart.
    world.shop_weights = [1 / (k**0.5) for k in range(1, s.shops)]
    rng.shuffle(world.shop_weights)


# --- orders and their after-sales ------------------------------------------------------------


@dataclass
class Chunk:
    orders: list[tuple] = field(default_factory=list)
    items: list[tuple] = field(default_factory=list)
    refunds: list[tuple] = field(default_factory=list)
    offers: list[tuple] = field(default_factory=list)
    payments: list[tuple] = field(default_factory=list)
    interventions: list[tuple] = field(default_factory=list)
    rulings: list[tuple] = field(default_factory=list)
    appeals: list[tuple] = field(default_factory=list)


ITEM_COLUMNS = (
    "order_id",
    "product_id",
    "title",
    "quantity",
    "unit_price",
    "description",
    "specification",
    "listing_revision",
)
ORDER_COLUMNS = (
    "id",
    "number",
    "buyer_id",
    "shop_id",
    "state",
    "total",
    "refunded_amount",
    "tracking_number",
    "created_at",
    "paid_at",
    "shipped_at",
    "delivered_at",
    "completed_at",
    "closed_at",
    "auto_confirm_at",
)
REFUND_COLUMNS = (
    "id",
    "order_id",
    "buyer_id",
    "shop_id",
    "kind",
    "reason",
    "description",
    "amount",
    "state",
    "deadline",
    "revision_count",
    "rejection_reason",
    "return_tracking_number",
    "return_courier",
    "return_to_name",
    "return_to_phone",
    "return_to_region",
    "return_to_address",
    "platform_ordered_return",
    "auto_approved",
    "created_at",
    "responded_at",
    "escalated_at",
    "closed_at",
)
OFFER_COLUMNS = (
    "refund_id",
    "made_by_id",
    "amount",
    "asked_amount",
    "return_required",
    "message",
    "outcome",
    "created_at",
    "answered_at",
)
INTERVENTION_COLUMNS = (
    "id",
    "refund_id",
    "shop_id",
    "buyer_id",
    "state",
    "buyer_statement",
    "merchant_statement",
    "buyer_submitted_at",
    "merchant_submitted_at",
    "evidence_deadline",
    "ruling_deadline",
    "assigned_agent_id",
    "opened_at",
    "closed_at",
)
RULING_COLUMNS = (
    "id",
    "intervention_id",
    "agent_id",
    "outcome",
    "refund_amount",
    "return_required",
    "merchant_responsible",
    "merchant_cooperated",
    "penalty_points",
    "rationale",
    "created_at",
    "appeal_deadline",
)
APPEAL_COLUMNS = (
    "ruling_id",
    "appellant_id",
    "statement",
    "created_at",
    "decision",
    "decision_note",
    "decided_by_id",
    "decided_at",
)


class Seeder:
    def __init__(self, world: World):
        self.w = world
        self.rules = get_rules()
        self.refund_id = 0
        self.intervention_id = 0
        self.ruling_id = 0
        self.penalties: list[tuple] = []  # (at, shop, ruling, kind, points)

    # One order: its timeline cut at now, its audit entries, maybe its after-sales.
    def order(
        self,
        oid: int,
        buyer: int,
        shop: int,
        created: datetime,
        chunk: Chunk,
        audit: Audit,
        *,
        refund_chance: float,
        force_state: str | None = None,
    ):
        w, rng, now, ct = self.w, self.w.rng, self.w.now, self.w.ct["order"]
        owner = w.owner_of[shop]
        product = rng.choice(w.products[shop])
        quantity = 1 if rng.random() < 0.8 else rng.randint(2, 3)
        lines = [(product, quantity)]
        if rng.random() < 0.15:
            lines.append((rng.choice(w.products[shop]), 1))
        total = sum((p[2] * q for p, q in lines), Decimal("0.00"))
        number = f"{timezone.localtime(created):%y%m%d}{oid:010d}"
        o = {
            "state": OS.PENDING_PAYMENT,
            "paid": None,
            "shipped": None,
            "delivered": None,
            "completed": None,
            "closed": None,
            "auto_confirm": None,
            "tracking": "",
            "refunded": Decimal("0.00"),
        }
        audit.add(
            ct,
            oid,
            "place",
            "",
            OS.PENDING_PAYMENT,
            buyer,
            BUYER_ROLE,
            f"{quantity} × {product[1]} at ¥{product[2]}",
            created,
        )
        steps = self._order_steps(created, force_state)
        for action, at in steps:
            if at > now:
                break
            frm = o["state"]
            if action == "pay":
                o["state"], o["paid"], actor, role = OS.PAID, at, buyer, BUYER_ROLE
            elif action == "cancel":
                o["state"], o["closed"], actor, role = OS.CANCELLED, at, buyer, BUYER_ROLE
            elif action == "ship":
                o["state"], o["shipped"], actor, role = OS.SHIPPED, at, owner, MERCHANT_ROLE
                o["tracking"] = f"YT{oid:012d}"
            elif action == "deliver":
                o["state"], o["delivered"], actor, role = OS.DELIVERED, at, None, SYSTEM_ROLE
                o["auto_confirm"] = at + self.rules.order_auto_confirm_window
            else:  # confirm_receipt or auto_confirm
                o["state"], o["completed"], o["auto_confirm"] = OS.COMPLETED, at, None
                actor, role = (
                    (buyer, BUYER_ROLE) if action == "confirm_receipt" else (None, SYSTEM_ROLE)
                )
            audit.add(ct, oid, action, frm, o["state"], actor, role, "", at)
        fileable = o["state"] in (OS.PAID, OS.SHIPPED, OS.DELIVERED, OS.COMPLETED)
        if force_state is None and fileable and rng.random() < refund_chance:
            f = self.after_sales(oid, buyer, shop, number, total, o, chunk, audit)
            # A delivered order is confirmed for the buyer once no request is open.
            due = o["auto_confirm"] and max(o["auto_confirm"], f["closed"] or now)
            if o["state"] == OS.DELIVERED and f["closed"] and due <= now:
                audit.add(
                    ct,
                    oid,
                    "auto_confirm",
                    OS.DELIVERED,
                    OS.COMPLETED,
                    None,
                    SYSTEM_ROLE,
                    "",
                    due,
                )
                o["state"], o["completed"], o["auto_confirm"] = OS.COMPLETED, due, None
        chunk.orders.append(
            (
                oid,
                number,
                buyer,
                shop,
                o["state"],
                total,
                o["refunded"],
                o["tracking"],
                created,
                o["paid"],
                o["shipped"],
                o["delivered"],
                o["completed"],
                o["closed"],
                o["auto_confirm"],
            )
        )
        for p, q in lines:
            # Each line's trade snapshot, as order_place writes it: the text of the listing at
            # its first revision (the bench's products are never edited), no pictures.
            chunk.items.append((oid, p[0], p[1], q, p[2], p[3], p[4], 1))

    def _order_steps(self, created: datetime, force_state: str | None):
        rng = self.w.rng
        if force_state == OS.DELIVERED:  # the refund filing POST's orders: delivered, due later
            paid = created + timedelta(minutes=5)
            shipped = paid + 10 * H
            return [("pay", paid), ("ship", shipped), ("deliver", self.w.now - H)]
        roll = rng.random()
        paid = created + timedelta(minutes=rng.uniform(1, 40))
        if roll < 0.03:
            return [("cancel", paid)]
        if roll < 0.035:
            return (
                [("pay", created + 2 * D)]
                if created > self.w.now - 2 * D
                else [("cancel", created + timedelta(minutes=30))]
            )
        shipped = paid + timedelta(hours=rng.uniform(3, 48))
        delivered = shipped + timedelta(hours=rng.uniform(24, 96))
        if rng.random() < 0.7:
            completed = delivered + timedelta(hours=rng.uniform(2, 200))
            last = "confirm_receipt"
        else:
            completed = delivered + self.rules.order_auto_confirm_window
            last = "auto_confirm"
        return [("pay", paid), ("ship", shipped), ("deliver", delivered), (last, completed)]

    # One after-sales request, walked along a path up to now.
    def after_sales(self, oid, buyer, shop, number, total, o, chunk: Chunk, audit: Audit):
        w, rng, now, rules = self.w, self.w.rng, self.w.now, self.rules
        owner = w.owner_of[shop]
        ct = w.ct["refund"]
        start = o["delivered"] or o["shipped"] or o["paid"]
        if o["state"] == OS.COMPLETED:
            start = o["completed"]
            end = min(now, o["completed"] + rules.after_sales_window)
        else:
            end = now
        filed = start + (end - start) * rng.random() ** 2  # most requests come early
        shipped = o["shipped"] is not None and o["shipped"] <= filed
        kind = (
            RefundKind.RETURN_AND_REFUND
            if shipped and rng.random() < 0.4
            else RefundKind.REFUND_ONLY
        )
        reason = RefundReason.NOT_RECEIVED if not shipped else rng.choice(RefundReason.values)
        amount = (
            total
            if rng.random() < 0.8
            else min(total, _money(float(total) * rng.uniform(0.3, 0.9)))
        )
        window = (
            rules.merchant_response_window if shipped else rules.merchant_response_window_unshipped
        )
        self.refund_id += 1
        rid = self.refund_id
        f = {
            "state": R.REQUESTED,
            "deadline": filed + window,
            "revisions": 0,
            "rejection": "",
            "tracking": "",
            "courier": "",
            "return_to": ("", "", "", ""),
            "platform_return": False,
            "auto": False,
            "responded": None,
            "escalated": None,
            "closed": None,
            "amount": amount,
        }
        audit.add(
            ct, rid, "file", "", R.REQUESTED, buyer, BUYER_ROLE, f"¥{amount}: {reason}", filed
        )
        audit.tell(
            owner,
            "refund_filed",
            f"New request of ¥{amount} on order {number}.",
            ct,
            rid,
            filed,
            rng,
        )
        t = filed

        def move(action, to, at, actor, role, note="", **changes):
            if at > now:
                return False
            audit.add(ct, rid, action, f["state"], to, actor, role, note, at)
            f["state"] = to
            f.update(changes)
            return True

        def refunded(at):
            chunk.payments.append((rid, oid, f["amount"], f"BENCH-{rid:010d}", at))
            o["refunded"] += f["amount"]
            audit.tell(
                buyer,
                "refunded",
                f"¥{f['amount']} has been refunded for order {number}.",
                ct,
                rid,
                at,
                rng,
            )
            if o["refunded"] >= total:
                audit.add(
                    w.ct["order"],
                    oid,
                    "mark_refunded",
                    o["state"],
                    OS.REFUNDED,
                    None,
                    SYSTEM_ROLE,
                    "",
                    at,
                )
                o["state"], o["closed"], o["auto_confirm"] = OS.REFUNDED, at, None

        def returned(at, *, by_platform=False):
            """Awaiting return (from `at`): the buyer ships, the merchant confirms."""
            f["return_to"] = w.return_addresses[shop]  # the shop's default, copied
            ship_at = at + timedelta(hours=rng.uniform(2, 150))
            if rng.random() < 0.08:  # the buyer never ships: closed at the deadline
                move(
                    "auto_close",
                    R.CLOSED,
                    f["deadline"],
                    None,
                    SYSTEM_ROLE,
                    "the buyer did not act in time",
                    deadline=None,
                    closed=f["deadline"],
                )
                return
            confirm_deadline = ship_at + rules.merchant_return_confirm_window
            if not move(
                "ship_return",
                R.RETURN_SHIPPED,
                ship_at,
                buyer,
                BUYER_ROLE,
                f"SF{rid:012d}",
                tracking=f"SF{rid:012d}",
                courier=Courier.SF,
                deadline=confirm_deadline,
            ):
                return
            if rng.random() < 0.85:
                done = ship_at + timedelta(hours=rng.uniform(12, 200))
                ok = move(
                    "confirm_return",
                    R.REFUNDED,
                    done,
                    owner,
                    MERCHANT_ROLE,
                    deadline=None,
                    closed=done,
                )
            else:
                done = confirm_deadline
                ok = move(
                    "auto_confirm_return",
                    R.REFUNDED,
                    done,
                    None,
                    SYSTEM_ROLE,
                    "the merchant did not confirm the return in time",
                    deadline=None,
                    closed=done,
                )
            if ok:
                refunded(done)

        def approve(at, action="approve", actor=owner, role=MERCHANT_ROLE):
            changes = {"responded": f["responded"] or (at if actor else None)}
            if action == "auto_approve":
                changes["auto"] = True
            note = "the merchant did not answer in time" if action == "auto_approve" else ""
            if kind == RefundKind.REFUND_ONLY:
                if move(
                    action, R.REFUNDED, at, actor, role, note, deadline=None, closed=at, **changes
                ):
                    refunded(at)
            elif move(
                action,
                R.AWAITING_RETURN,
                at,
                actor,
                role,
                note,
                deadline=at + rules.buyer_return_ship_window,
                **changes,
            ):
                returned(at)

        def reject(at):
            reason_text = "商品已签收，图片与描述不符"
            return move(
                "reject",
                R.REJECTED,
                at,
                owner,
                MERCHANT_ROLE,
                reason_text,
                responded=f["responded"] or at,
                rejection=reason_text,
                deadline=at + rules.buyer_rejection_window,
            )

        answer = t + timedelta(hours=rng.uniform(1, window.total_seconds() / 3600 * 0.9))
        path = rng.random()
        if path < 0.36:
            approve(answer)
        elif path < 0.41:
            approve(f["deadline"], "auto_approve", None, SYSTEM_ROLE)
        elif path < 0.45 and kind == RefundKind.RETURN_AND_REFUND:
            if move(
                "approve_without_return",
                R.REFUNDED,
                answer,
                owner,
                MERCHANT_ROLE,
                responded=answer,
                deadline=None,
                closed=answer,
            ):
                refunded(answer)
        elif path < 0.49 and amount > Decimal("0.01"):
            self.negotiate(rid, buyer, owner, shipped, answer, f, move, refunded, returned, chunk)
        elif path < 0.55:
            cancel_at = t + timedelta(hours=rng.uniform(0.2, 20))
            move(
                "cancel", R.CANCELLED, cancel_at, buyer, BUYER_ROLE, deadline=None, closed=cancel_at
            )
        elif path < 0.65:
            if reject(answer):
                move(
                    "auto_close",
                    R.CLOSED,
                    f["deadline"],
                    None,
                    SYSTEM_ROLE,
                    "the buyer did not act in time",
                    deadline=None,
                    closed=f["deadline"],
                )
        elif path < 0.72:
            if reject(answer):
                revised = answer + timedelta(hours=rng.uniform(2, 48))
                if move(
                    "revise",
                    R.REQUESTED,
                    revised,
                    buyer,
                    BUYER_ROLE,
                    f"¥{amount}",
                    revisions=1,
                    rejection="",
                    deadline=revised + window,
                ):
                    approve(revised + timedelta(hours=rng.uniform(1, 40)))
        elif path < 0.80:
            if reject(answer):
                cancel_at = answer + timedelta(hours=rng.uniform(1, 100))
                move(
                    "cancel",
                    R.CANCELLED,
                    cancel_at,
                    buyer,
                    BUYER_ROLE,
                    deadline=None,
                    closed=cancel_at,
                )
        elif reject(answer):
            self.intervene(oid, rid, buyer, shop, answer, f, move, refunded, returned, chunk, audit)
        chunk.refunds.append(
            (
                rid,
                oid,
                buyer,
                shop,
                kind,
                reason,
                "",
                f["amount"],
                f["state"],
                f["deadline"],
                f["revisions"],
                f["rejection"],
                f["tracking"],
                f["courier"],
                *f["return_to"],
                f["platform_return"],
                f["auto"],
                filed,
                f["responded"],
                f["escalated"],
                f["closed"],
            )
        )
        return f

    def negotiate(self, rid, buyer, owner, shipped, at, f, move, refunded, returned, chunk):
        """协商方案: the shop offers part of the amount at `at`; the buyer accepts it, declines it
        (then lets the request close), or leaves it to close at its deadline."""
        rng, rules = self.w.rng, self.rules
        asked = f["amount"]
        offered = max(Decimal("0.01"), min(asked - Decimal("0.01"), _money(float(asked) * 0.5)))
        back = shipped and rng.random() < 0.3
        message = "可以部分退款，您看可以吗？"
        if not move(
            "offer",
            R.OFFERED,
            at,
            owner,
            MERCHANT_ROLE,
            f"¥{offered}: {message}",
            responded=f["responded"] or at,
            deadline=at + rules.buyer_rejection_window,
        ):
            return
        outcome, answered = OfferOutcome.OPEN, None
        reply = at + timedelta(hours=rng.uniform(1, 100))
        choice = rng.random()
        if choice < 0.45 and back:
            if move(
                "accept_offer",
                R.AWAITING_RETURN,
                reply,
                buyer,
                BUYER_ROLE,
                f"¥{offered}",
                amount=offered,
                deadline=reply + rules.buyer_return_ship_window,
            ):
                outcome, answered = OfferOutcome.ACCEPTED, reply
                returned(reply)
        elif choice < 0.45:
            if move(
                "accept_offer",
                R.REFUNDED,
                reply,
                buyer,
                BUYER_ROLE,
                f"¥{offered}",
                amount=offered,
                deadline=None,
                closed=reply,
            ):
                outcome, answered = OfferOutcome.ACCEPTED, reply
                refunded(reply)
        elif choice < 0.75:
            if move(
                "decline_offer",
                R.REJECTED,
                reply,
                buyer,
                BUYER_ROLE,
                deadline=reply + rules.buyer_rejection_window,
            ):
                outcome, answered = OfferOutcome.DECLINED, reply
                move(
                    "auto_close",
                    R.CLOSED,
                    f["deadline"],
                    None,
                    SYSTEM_ROLE,
                    "the buyer did not act in time",
                    deadline=None,
                    closed=f["deadline"],
                )
        elif move(
            "auto_close",
            R.CLOSED,
            f["deadline"],
            None,
            SYSTEM_ROLE,
            "the buyer did not act in time",
            deadline=None,
            closed=f["deadline"],
        ):
            outcome, answered = OfferOutcome.EXPIRED, f["deadline"]
        chunk.offers.append((rid, owner, offered, asked, back, message, outcome, at, answered))

    def intervene(self, oid, rid, buyer, shop, rejected, f, move, refunded, returned, chunk, audit):
        w, rng, now, rules = self.w, self.w.rng, self.w.now, self.rules
        owner = w.owner_of[shop]
        escalated = rejected + timedelta(hours=rng.uniform(1, 72))
        statement = "商家拒绝退款，但商品确实有质量问题，附图为证。"
        if not move(
            "escalate",
            R.IN_INTERVENTION,
            escalated,
            buyer,
            BUYER_ROLE,
            statement,
            escalated=escalated,
            deadline=None,
        ):
            return
        self.intervention_id += 1
        iid, ct = self.intervention_id, w.ct["intervention"]
        i = {
            "state": IS.AWAITING_EVIDENCE,
            "merchant_statement": "",
            "merchant_at": None,
            "evidence_deadline": escalated + rules.evidence_window,
            "ruling_deadline": None,
            "agent": None,
            "closed": None,
        }
        audit.add(
            ct, iid, "open", "", IS.AWAITING_EVIDENCE, buyer, BUYER_ROLE, statement, escalated
        )
        audit.tell(
            w.owner_of[shop],
            "intervention_opened",
            "The buyer asked the platform to step in.",
            w.ct["refund"],
            rid,
            escalated,
            rng,
        )

        def imove(action, to, at, actor, role, note="", **changes):
            if at > now:
                return False
            audit.add(ct, iid, action, i["state"], to, actor, role, note, at)
            i["state"] = to
            i.update(changes)
            return True

        evidence_at = escalated + timedelta(hours=rng.uniform(1, 40))
        if rng.random() < 0.8 and evidence_at <= now:
            i["merchant_statement"], i["merchant_at"] = (
                "买家使用不当造成损坏，我方不同意退款。",
                evidence_at,
            )
        roll = rng.random()
        if roll < 0.07:  # the merchant concedes before the ruling
            conceded = evidence_at
            if move(
                "concede",
                R.REFUNDED,
                conceded,
                owner,
                MERCHANT_ROLE,
                deadline=None,
                closed=conceded,
            ):
                imove(
                    "resolve_by_merchant",
                    IS.RESOLVED_BY_MERCHANT,
                    conceded,
                    owner,
                    MERCHANT_ROLE,
                    closed=conceded,
                )
                refunded(conceded)
        else:
            closed = i["evidence_deadline"]
            if imove(
                "close_evidence",
                IS.UNDER_REVIEW,
                closed,
                None,
                SYSTEM_ROLE,
                ruling_deadline=closed + rules.ruling_sla,
            ):
                agent = rng.choice(w.agents)
                assigned = closed + timedelta(minutes=rng.uniform(5, 300))
                if assigned <= now:
                    i["agent"] = agent
                    audit.add(
                        ct,
                        iid,
                        "assign",
                        IS.UNDER_REVIEW,
                        "",
                        agent,
                        AGENT_ROLE,
                        f"assigned to agent {agent}",
                        assigned,
                    )
                ruled = assigned + timedelta(hours=rng.uniform(1, 40))
                if ruled <= now:
                    self.rule(
                        oid,
                        rid,
                        iid,
                        buyer,
                        shop,
                        agent,
                        ruled,
                        f,
                        i,
                        move,
                        imove,
                        refunded,
                        returned,
                        chunk,
                        audit,
                    )
        chunk.interventions.append(
            (
                iid,
                rid,
                shop,
                buyer,
                i["state"],
                statement,
                i["merchant_statement"],
                escalated,
                i["merchant_at"],
                i["evidence_deadline"],
                i["ruling_deadline"],
                i["agent"],
                escalated,
                i["closed"],
            )
        )

    def rule(
        self,
        oid,
        rid,
        iid,
        buyer,
        shop,
        agent,
        ruled,
        f,
        i,
        move,
        imove,
        refunded,
        returned,
        chunk,
        audit,
    ):
        w, rng, rules = self.w, self.w.rng, self.rules
        roll = rng.random()
        amount, return_required = None, False
        if roll < 0.45:
            outcome, amount = RulingOutcome.BUYER_FULL_REFUND, f["amount"]
            return_required = rng.random() < 0.15
        elif roll < 0.6:
            outcome = RulingOutcome.BUYER_PARTIAL_REFUND
            amount = _money(float(f["amount"]) * rng.uniform(0.3, 0.9))
            if amount >= f["amount"]:
                outcome, amount = RulingOutcome.BUYER_FULL_REFUND, f["amount"]
        else:
            outcome = RulingOutcome.MERCHANT_WINS
        responsible = outcome != RulingOutcome.MERCHANT_WINS and rng.random() < w.responsible[shop]
        cooperated = bool(f["responded"] and not f["auto"] and i["merchant_at"])
        points = rng.choice([1, 2, 2, 2, 3]) if responsible else 0
        self.ruling_id += 1
        ruling = self.ruling_id
        imove(
            "rule",
            IS.RULED,
            ruled,
            agent,
            AGENT_ROLE,
            outcome,
            closed=ruled,
            agent=i["agent"] or agent,
        )
        target = (
            R.CLOSED if amount is None else R.AWAITING_RETURN if return_required else R.REFUNDED
        )
        if target == R.AWAITING_RETURN:
            move(
                "rule",
                target,
                ruled,
                agent,
                AGENT_ROLE,
                f"ruling #{ruling}: {outcome}",
                platform_return=True,
                deadline=ruled + rules.buyer_return_ship_window,
                amount=amount,
            )
            returned(ruled, by_platform=True)
        else:
            move(
                "rule",
                target,
                ruled,
                agent,
                AGENT_ROLE,
                f"ruling #{ruling}: {outcome}",
                deadline=None,
                closed=ruled,
                amount=amount if amount is not None else f["amount"],
            )
            if target == R.REFUNDED:
                refunded(ruled)
        audit.tell(
            buyer, "ruled", f"The platform ruled: {outcome}.", w.ct["intervention"], iid, ruled, rng
        )
        chunk.rulings.append(
            (
                ruling,
                iid,
                agent,
                outcome,
                amount,
                return_required,
                responsible,
                cooperated,
                points,
                "根据双方提交的证据作出裁决。",
                ruled,
                ruled + rules.appeal_window,
            )
        )
        if responsible:
            self.penalties.append((ruled, shop, ruling, PenaltyKind.DISPUTE_LOST, points))
            if not cooperated:
                self.penalties.append(
                    (ruled, shop, ruling, PenaltyKind.NON_COOPERATION, rules.non_cooperation_points)
                )
            if rng.random() < 0.15:  # the shop appeals; the supervisor upholds the ruling
                owner = w.owner_of[shop]
                appealed = ruled + timedelta(days=rng.uniform(0.5, 20))
                statement = "我方对裁决有异议，申请复核。"
                if imove("appeal", IS.APPEALED, appealed, owner, MERCHANT_ROLE, statement):
                    decided = appealed + timedelta(days=rng.uniform(0.5, 5))
                    decision = ("", "", None, None)
                    if imove(
                        "decide_appeal",
                        IS.RULED,
                        decided,
                        w.supervisor,
                        SUPERVISOR_ROLE,
                        "uphold: 证据充分，维持原裁决",
                    ):
                        decision = (
                            AppealDecision.UPHOLD,
                            "证据充分，维持原裁决",
                            w.supervisor,
                            decided,
                        )
                    chunk.appeals.append((ruling, owner, statement, appealed, *decision))

    def write_chunk(self, chunk: Chunk, audit: Audit, copier: Copier):
        copier.copy(Order, ORDER_COLUMNS, chunk.orders)
        copier.copy(OrderItem, ITEM_COLUMNS, chunk.items)
        copier.copy(RefundRequest, REFUND_COLUMNS, chunk.refunds)
        copier.copy(RefundOffer, OFFER_COLUMNS, chunk.offers)
        copier.copy(
            RefundPayment,
            ("refund_id", "order_id", "amount", "gateway_reference", "created_at"),
            chunk.payments,
        )
        copier.copy(Intervention, INTERVENTION_COLUMNS, chunk.interventions)
        copier.copy(Ruling, RULING_COLUMNS, chunk.rulings)
        copier.copy(Appeal, APPEAL_COLUMNS, chunk.appeals)
        audit.flush(copier)

    # Penalty records in time order; each crossing of a multiple of the threshold in a period
    # restricts the shop, as penalties.services does.
    def penalties_and_restrictions(self, copier: Copier, audit: Audit):
        w, rules, now = self.w, self.rules, self.w.now
        tz = ZoneInfo(rules.penalty_period_timezone)
        ct = w.ct["shop"]
        records, restrictions = [], []
        points: dict[tuple[int, int], int] = defaultdict(int)
        by_ruling: dict[int, list[tuple]] = defaultdict(list)
        for p in sorted(self.penalties):
            by_ruling[p[2]].append(p)
        for ruling, ps in sorted(by_ruling.items(), key=lambda kv: kv[1][0][0]):
            at, shop = ps[0][0], ps[0][1]
            period = at.astimezone(tz).year
            before = points[shop, period]
            for _at, _shop, _ruling, kind, pts in ps:
                records.append((shop, ruling, kind, pts, period, at))
            after = points[shop, period] = before + sum(p[4] for p in ps)
            audit.add(
                ct,
                shop,
                "penalty",
                "",
                "",
                None,
                SYSTEM_ROLE,
                f"+{after - before} points for ruling #{ruling}: {after} in {period}",
                at,
            )
            audit.tell(
                w.owner_of[shop],
                "penalty",
                f"{after - before} penalty points for a lost dispute.",
                ct,
                shop,
                at,
                w.rng,
            )
            threshold = rules.restriction_threshold
            for level in range(before // threshold + 1, after // threshold + 1):
                ends = at + rules.restriction_length(level)
                ended = ends if ends <= now else None
                restrictions.append((shop, period, level, after, at, ends, ruling, ended))
                audit.add(
                    ct,
                    shop,
                    "restrict",
                    "",
                    "restricted",
                    None,
                    SYSTEM_ROLE,
                    f"{after} points in {period}: restricted until {ends.isoformat()}",
                    at,
                )
                if ended:
                    audit.add(
                        ct,
                        shop,
                        "restriction_ended",
                        "restricted",
                        "",
                        None,
                        SYSTEM_ROLE,
                        f"Restriction level {level} of {period} ran out.",
                        ends,
                    )
        copier.copy(
            PenaltyRecord,
            ("shop_id", "ruling_id", "kind", "points", "period", "created_at"),
            records,
        )
        copier.copy(
            Restriction,
            (
                "shop_id",
                "period",
                "level",
                "points_at_start",
                "starts_at",
                "ends_at",
                "ruling_id",
                "ended_at",
            ),
            restrictions,
        )
        audit.flush(copier)


# --- the command's work ------------------------------------------------------------------------

CHECKED = (Shop, Order, RefundRequest, AuditEntry, Notification)


def refuse_unless_empty() -> None:
    if connection.vendor != "postgresql":
        raise SeedRefused(
            "seed_bench writes with PostgreSQL's COPY: point DATABASE_URL at PostgreSQL."
        )
    busy = [m._meta.db_table for m in (get_user_model(), *CHECKED) if m.objects.exists()]
    if busy:
        raise SeedRefused(
            f"Refusing to seed: {', '.join(busy)} already hold rows. seed_bench fills an empty, "
            "migrated database of its own (createdb, then migrate)."
        )


def check_references(cursor) -> None:
    """Every foreign key of every table, checked with one anti-join each."""
    qn = connection.ops.quote_name
    for model in apps.get_models(include_auto_created=True):
        for fk in model._meta.concrete_fields:
            if not fk.is_relation:
                continue
            parent = fk.target_field
            child_table, parent_table = qn(model._meta.db_table), qn(parent.model._meta.db_table)
            cursor.execute(
                f"SELECT c.{qn(fk.column)} FROM {child_table} c WHERE c.{qn(fk.column)} IS NOT NULL"  # noqa: S608 (names from the models)
                f" AND NOT EXISTS (SELECT 1 FROM {parent_table} p"
                f" WHERE p.{qn(parent.column)} = c.{qn(fk.column)}) LIMIT 1"
            )
            dangling = cursor.fetchone()
            if dangling:
                raise SeedRefused(
                    f"{model._meta.db_table}.{fk.column} = {dangling[0]} refers to nothing"
                )


def seed(n: int, *, random_seed: int = 12, log=print) -> dict[str, float]:
    """Fill an empty PostgreSQL database with the marketplace for `n` orders; returns timings."""
    refuse_unless_empty()
    sizes = Sizes.for_orders(n)
    now = timezone.now()
    ct = {
        name: ContentType.objects.get_for_model(model).pk
        for name, model in [
            ("order", Order),
            ("refund", RefundRequest),
            ("intervention", Intervention),
            ("shop", Shop),
        ]
    }
    rng = random.Random(random_seed)  # noqa: S311 (repeatable data, not secrets)
    world = World(now=now, sizes=sizes, rng=rng, ct=ct)
    timings: dict[str, float] = {}
    started = time.perf_counter()

    def lap(name: str, t0: float) -> float:
        timings[name] = time.perf_counter() - t0
        log(f"  {name:<28} {timings[name]:8.1f} s")
        return time.perf_counter()

    log(
        f"seeding {n:,} orders: {sizes.shops:,} shops, {sizes.buyers:,} buyers, "
        f"{sizes.shops * sizes.products_per_shop:,} products"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        # No per-row foreign-key triggers while copying (a deferred check per row would take
        # longer than the COPY itself): every reference is checked set-based before commit.
        # Check constraints and unique indexes hold row by row as usual.
        cursor.execute("SET LOCAL session_replication_role = replica")
        copier = Copier(cursor.cursor)
        t = time.perf_counter()
        _accounts(world, copier)
        _shops(world, copier)
        t = lap("accounts, shops, products", t)
        seeder = Seeder(world)
        audit = Audit(now)
        special = [(world.bench_buyer, 1, sizes.bench_buyer_orders, None)]
        special += [(p, None, sizes.poster_orders, OS.DELIVERED) for p in world.posters]
        regular = (
            n - sum(s[2] for s in special) - (sizes.big_shop_orders - sizes.bench_buyer_orders)
        )
        shop_ids = list(range(2, sizes.shops + 1))
        cum = []
        acc = 0.0
        for weight in world.shop_weights:
            acc += weight
            cum.append(acc)
        expected = [sizes.big_shop_orders] + [regular * w / acc for w in world.shop_weights]
        world.responsible = [0.0] + [min(0.85, 20 / (0.6 * 0.02 * e + 1)) for e in expected]
        rng = world.rng
        oid = 0
        chunk = Chunk()
        span = 180 * 86400

        def flush_if_full(force=False):
            nonlocal chunk
            if force or len(chunk.orders) >= CHUNK:
                seeder.write_chunk(chunk, audit, copier)
                chunk = Chunk()

        for buyer, shop, count, state in special:
            for _ in range(count):
                oid += 1
                # The posters' orders were delivered an hour ago: each can take one request.
                created = now - 2 * D if state else now - timedelta(seconds=rng.uniform(3600, span))
                shop_id = shop or rng.choices(shop_ids, cum_weights=cum)[0]
                seeder.order(
                    oid, buyer, shop_id, created, chunk, audit, refund_chance=0.3, force_state=state
                )
        for _ in range(sizes.big_shop_orders - sizes.bench_buyer_orders):
            oid += 1
            created = now - timedelta(seconds=rng.uniform(600, span))
            seeder.order(oid, rng.choice(world.buyers), 1, created, chunk, audit, refund_chance=0.1)
            flush_if_full()
        for start in range(0, regular, 10_000):
            m = min(10_000, regular - start)
            shops = rng.choices(shop_ids, cum_weights=cum, k=m)
            for shop_id in shops:
                oid += 1
                created = now - timedelta(seconds=rng.uniform(600, span))
                seeder.order(
                    oid, rng.choice(world.buyers), shop_id, created, chunk, audit, refund_chance=0.1
                )
            flush_if_full()
            if start and start % 200_000 == 0:
                log(f"    {oid:,} orders")
        flush_if_full(force=True)
        t = lap("orders and after-sales", t)
        seeder.penalties_and_restrictions(copier, audit)
        cursor.execute(
            "".join(
                connection.ops.sequence_reset_sql(
                    no_style(),
                    [
                        get_user_model(),
                        Shop,
                        Product,
                        Order,
                        RefundRequest,
                        Intervention,
                        Ruling,
                    ],
                )
            )
        )
        t = lap("penalties and restrictions", t)
        cursor.execute("SET LOCAL session_replication_role = origin")
        check_references(cursor)
        t = lap("every reference checked", t)
        shops_recompute_credit(now=now)
        t = lap("shops' credit (the product's)", t)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    lap("analyze", t)
    timings["total"] = time.perf_counter() - started
    for table, count in sorted(copier.counts.items()):
        log(f"  {table:<28} {count:>12,} rows")
    log(f"done in {timings['total']:.1f} s")
    return timings

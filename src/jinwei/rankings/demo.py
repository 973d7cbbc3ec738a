"""Composite-evaluation demo: Jiangmen's county units as a peer group, an evaluation scheme for
Enping over the demo's annual indicators, and one published run. Idempotent: what exists is left
alone, and a scheme that already has a run is not evaluated again."""

from __future__ import annotations

from jinwei.accounts.demo import demo_government
from jinwei.accounts.models import Region
from jinwei.core.demo import DEMO_NOTE, demo_step, get_or_create
from jinwei.indicators import demo_data
from jinwei.indicators.models import Indicator
from jinwei.rankings.models import EvaluationRun, EvaluationScheme, PeerGroup, SchemeIndicator
from jinwei.rankings.services import scheme_evaluate

GROUP_NAME = "江门市辖县（市、区）"
SCHEME_NAME = "恩平市高质量发展综合评价（示例）"

# Scale and momentum side by side: the main levels, with the reported growth rates that say how
# fast they move; one indicator per idea (规上工业增加值 follows 规上工业总产值, so only its
# growth is kept), grouped by the indicator's category, which is the scheme's dimension.
INDICATOR_CODES = (
    # 经济总量
    "GDP",
    "GDP_GROWTH",
    "IND_OUTPUT",
    "IND_VA_GROWTH",
    "FAI_GROWTH",
    "RETAIL",
    "REVENUE",
    # 创新
    "RD_INTENSITY",
    "HIGH_TECH",
    "LITTLE_GIANT",
    "KEY_LAB",
    # 协调
    "INCOME",
    "INCOME_GROWTH",
    # 绿色
    "AIR_QUALITY",
    "PM25",
    "FOREST_COVER",
    # 开放
    "NEW_INVEST",
    "TRADE",
    "TRADE_GROWTH",
    # 共享
    "QINGBEI",
)
DIMENSION_WEIGHTS = {
    "economy": 0.25,
    "innovation": 0.2,
    "coordination": 0.15,
    "green": 0.15,
    "openness": 0.15,
    "sharing": 0.1,
}
ALTERNATIVES = {
    "normalizations": ["minmax", "zscore", "vector", "rank"],
    "weightings": ["equal", "entropy", "entropy-cn", "critic", "std"],
    "aggregations": ["wsum", "topsis", "vikor"],
}


@demo_step("evaluation")
def load_evaluation() -> int:
    """Composite evaluation: the Jiangmen peer group, Enping's scheme, one published run."""
    government = demo_government()
    group, group_new = get_or_create(
        PeerGroup,
        lookup={"government": government, "name": GROUP_NAME},
        defaults={
            "parent": Region.objects.get(code=demo_data.JIANGMEN),
            "description": "江门市七个县级行政单位：蓬江、江海、新会、台山、开平、鹤山、恩平。",
        },
    )
    scheme, new = get_or_create(
        EvaluationScheme,
        lookup={"government": government, "name": SCHEME_NAME},
        defaults={
            "peer_group": group,
            "normalization": "minmax",
            "weighting": "entropy-cn",
            "aggregation": "wsum",
            "alternatives": ALTERNATIVES,
            "weights_by_dimension": True,
            "dimension_weights": DIMENSION_WEIGHTS,
            "missing_policy": EvaluationScheme.MissingPolicy.IMPUTE_MEAN,
            "first_year": 2019,
            "last_year": 2024,
        },
    )
    created = int(group_new) + int(new) + _load_items(scheme, government)
    if not EvaluationRun.objects.filter(scheme=scheme).exists():
        scheme_evaluate(actor=None, scheme=scheme, publish=True, note=DEMO_NOTE)
        created += 1
    return created


def _load_items(scheme: EvaluationScheme, government: Region) -> int:
    indicators = {
        i.code: i
        for i in Indicator.objects.filter(
            government=government, code__in=INDICATOR_CODES
        ).select_related("category")
    }
    created = 0
    for order, code in enumerate(INDICATOR_CODES, start=1):
        indicator = indicators.get(code)
        if indicator is None:  # the catalogue was changed by hand: leave it out
            continue
        _, new = get_or_create(
            SchemeIndicator,
            lookup={"scheme": scheme, "indicator": indicator},
            defaults={"dimension": indicator.category, "order": order, "weight": None},
        )
        created += new
    return created

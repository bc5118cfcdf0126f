"""Pure analysis of attention maps: aggregates, rollout and flow, per-head statistics and roles,
special tokens and word pieces. numpy and scipy only; no Streamlit, Plotly or torch.
"""

from __future__ import annotations

from attnviz.analysis.aggregate import (
    FLOW_LIMIT_NOTE,
    FLOW_MAX_TOKENS,
    attention_flow,
    attention_rollout,
    head_max,
    head_mean,
)
from attnviz.analysis.statistics import ROLE_THRESHOLDS, STATISTICS, head_roles, head_statistics
from attnviz.analysis.tokens import (
    hide_special_tokens,
    merge_word_pieces,
    punctuation_mask,
    special_token_mask,
    word_groups,
)

__all__ = [
    "FLOW_LIMIT_NOTE",
    "FLOW_MAX_TOKENS",
    "ROLE_THRESHOLDS",
    "STATISTICS",
    "attention_flow",
    "attention_rollout",
    "head_max",
    "head_mean",
    "head_roles",
    "head_statistics",
    "hide_special_tokens",
    "merge_word_pieces",
    "punctuation_mask",
    "special_token_mask",
    "word_groups",
]

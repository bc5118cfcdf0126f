"""The translators on sentences they never saw: the held-out sets of `heldout.py`.

For each translator: chrF on the everyday set against our own references, on the names and
numbers set, the share of names and numbers copied exactly, and chrF on long sentences against
Apertium. The same figures for Apertium itself, the teacher, when it is installed.
"""

from __future__ import annotations

import re
import shutil
from typing import Any

from attnviz.training.heldout import copied_share, read_set
from attnviz.training.train_mt import RECIPES, chrf, load_shipped, translate_texts


def figures(translate: Any) -> dict[str, Any]:
    """Held-out figures of one translator, given as a function from texts to translations."""
    results: dict[str, Any] = {}
    everyday, names, long = (read_set(n) for n in ("everyday", "names_numbers", "long"))
    outputs = translate([p.english for p in everyday + names + long])
    everyday_out = outputs[: len(everyday)]
    names_out = outputs[len(everyday) : len(everyday) + len(names)]
    long_out = outputs[len(everyday) + len(names) :]
    results["everyday_chrf"] = round(chrf(everyday_out, [p.spanish for p in everyday]), 2)
    results["names_numbers_chrf"] = round(chrf(names_out, [p.spanish for p in names]), 2)
    results["names_numbers_copied"] = round(copied_share(names_out, names), 4)
    results["long_chrf_vs_apertium"] = round(chrf(long_out, [p.spanish for p in long]), 2)
    results["heldout_sentences"] = {
        "everyday": len(everyday),
        "names_numbers": len(names),
        "long": len(long),
    }
    return results


BEAM = 3  # the beam of the second set of figures; /translate decodes greedily by default


def translator_figures(name: str) -> dict[str, Any]:
    """Held-out figures of the shipped translator `name`, greedy (what /translate shows by
    default), and under `beam_3` the same with a beam of 3 (the page's beam option)."""
    model = load_shipped(name)
    family = RECIPES[name].family
    greedy = figures(lambda texts: translate_texts(model, family, texts))
    beam = figures(lambda texts: translate_texts(model, family, texts, BEAM))
    beam.pop("heldout_sentences")
    return {"model": name, **greedy, f"beam_{BEAM}": beam}


def apertium_figures() -> dict[str, Any] | None:
    """The same figures for Apertium (`apertium eng-spa`), or None when it is not installed."""
    if shutil.which("apertium") is None:
        return None
    from attnviz.training.corpus import translate_all

    def translate(texts: list[str]) -> list[str]:
        return [" ".join(re.sub(r"[*#@]", "", t).split()) for t in translate_all("eng-spa", texts)]

    return {"model": "apertium", **figures(translate)}

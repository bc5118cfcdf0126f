"""An option a model does not take is a ValueError naming it and the allowed ones (DESIGN.md 6.6).

Before, the RNN, Transformer, date and GPT models raised Python's own TypeError ("got an
unexpected keyword argument") while the Hugging Face models said what was allowed.
"""

from __future__ import annotations

import re

import pytest
import torch

import attnviz

torch.set_num_threads(1)

# (model, a text it reads, the options it takes: each is accepted with its default value)
MODELS = [
    ("bahdanau-en-es", "The red car.", {"beam": 1, "hypothesis": 0}),
    ("rnnenc-en-es", "The red car.", {"beam": 1, "hypothesis": 0}),
    ("transformer-en-es", "The red car.", {"beam": 1, "hypothesis": 0, "ablate": ()}),
    ("bahdanau-dates", "27 Nov 2026", {"beam": 1, "hypothesis": 0}),
    ("gpt-austen", "It is a truth", {"beam": 1, "ablate": ()}),
    ("sentiment-bigru", "A fine film.", {"beam": 1}),
    ("qa-memnet", "Mary went to the kitchen. Where is Mary?", {"beam": 1}),
]


@pytest.mark.parametrize(("name", "text", "allowed"), MODELS, ids=[m[0] for m in MODELS])
def test_an_unknown_option_names_itself_and_the_allowed_ones(name, text, allowed):
    model = attnviz.load(name)
    with pytest.raises(ValueError) as raised:
        model.run(text, colour="red")
    message = str(raised.value)
    assert message.startswith("Unknown option(s) colour; allowed: ")
    listed = re.findall(r"[a-z]+", message.split("allowed: ", 1)[1])
    assert set(allowed) <= set(listed), message
    model.run(text, **allowed)  # and each option it names is taken


def test_a_folder_model_says_the_same(tiny_folders):
    model = attnviz.load(str(tiny_folders["bert"]))
    expected = r"^Unknown option\(s\) colour, size; allowed: beam, ablate\.$"
    with pytest.raises(ValueError, match=expected):
        model.run("the cat sat", colour="red", size=2)


def test_the_public_run_passes_the_error_on():
    with pytest.raises(ValueError, match="allowed: beam, hypothesis"):
        attnviz.run("bahdanau-dates", "27 Nov 2026", layer=0)

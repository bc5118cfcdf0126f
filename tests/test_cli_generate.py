"""`python -m attnviz generate`: seeded text, the JSON run, exit 2 with one sentence."""

from __future__ import annotations

import json

import pytest

from tests.test_cli import cli


def test_generate_json_holds_the_run_of_prompt_and_continuation(tiny_folders):
    folder = str(tiny_folders["gpt2"])
    args = ("generate", folder, "the cat sat", "--max-new-tokens", "6", "--seed", "3", "--json")
    first, again = cli(*args), cli(*args)
    assert first.returncode == 0, first.stderr
    assert first.stdout == again.stdout  # the same seed, the same text
    data = json.loads(first.stdout)
    assert data["text"] == "the cat sat" + data["output_text"]
    n = len(data["source_tokens"])
    assert data["prompt_tokens"] <= n <= data["prompt_tokens"] + 6
    assert len(data["next_tokens"]) == n and len(data["next_tokens"][0]) == 10
    assert set(data["next_tokens"][0][0]) == {"token", "p"}
    assert len(data["maps"]["decoder_self"]["weights"][0][0]) == n
    assert data["sampling"] == {"max_new_tokens": 6, "temperature": 1.0, "top_k": 0, "seed": 3}
    plain = cli("generate", folder, "the cat sat", "--max-new-tokens", "6", "--seed", "3")
    assert plain.returncode == 0 and plain.stdout.strip() == data["text"]


def test_run_json_of_a_causal_model_adds_next_tokens(tiny_folders):
    result = cli("run", str(tiny_folders["gpt2"]), "the cat sat", "--json")
    data = json.loads(result.stdout)
    assert len(data["next_tokens"]) == len(data["source_tokens"])
    chances = [item["p"] for item in data["next_tokens"][-1]]
    assert chances == sorted(chances, reverse=True)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("gpt2", "   "), "empty"),
        (("gpt2", "the cat", "--temperature", "-1"), "temperature"),
        (("gpt2", "the cat", "--max-new-tokens", "0"), "new tokens"),
        (("gpt2", "the cat", "--top-k", "x"), "top-k"),
        (("bert", "the cat"), "not a causal language model"),
        (("no-such-model", "the cat"), "Unknown model"),
    ],
)
def test_bad_input_exits_2_with_one_sentence(tiny_folders, args, message):
    model = str(tiny_folders[args[0]]) if args[0] in tiny_folders else args[0]
    result = cli("generate", model, *args[1:])
    assert result.returncode == 2
    assert message.lower() in result.stderr.lower() and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1

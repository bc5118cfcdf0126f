"""Train and evaluate `qa-memnet` on stories from our bAbI-style generator (all five tasks
together, one model)."""

from __future__ import annotations

import dataclasses
import random
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import torch
from torch import nn

from attnviz.models.memnet import MemN2N, MemNetConfig, encode_story, save_memnet, sentence_words
from attnviz.models.sentiment import PAD, UNKNOWN, WordVocabulary
from attnviz.training import babi

TRAIN_SEED, VALID_SEED, TEST_SEED = 1, 2, 3


@dataclasses.dataclass(frozen=True)
class MemNetTrainConfig:
    """How qa-memnet is trained."""

    stories_per_task: int = 10_000  # training stories of each task
    valid_per_task: int = 500  # validation stories of each task
    batch_size: int = 128  # stories per step
    learning_rate: float = 5e-3  # Adam, halved every `halve_every` epochs
    halve_every: int = 8  # epochs
    epochs: int = 60  # at most
    max_minutes: float = 25.0  # wall-clock budget
    seed: int = 0  # torch and batch-order seed


def training_stories(n: int) -> list[babi.Story]:
    return [s for task in babi.TASKS for s in babi.generate(task, n, TRAIN_SEED)]


def build_vocabulary(stories: Sequence[babi.Story]) -> WordVocabulary:
    seen = {w for s in stories for part in (*s.sentences, s.question) for w in sentence_words(part)}
    return WordVocabulary([PAD, UNKNOWN, *sorted(seen)])


def tensors(
    stories: Sequence[babi.Story], vocabulary: WordVocabulary, config: MemNetConfig
) -> tuple[torch.Tensor, ...]:
    """Stories -> story ids `[n, memory, word]`, questions `[n, word]`, counts, answers."""
    encoded = [encode_story(list(s.sentences), s.question, vocabulary, config) for s in stories]
    story = torch.stack([e[0] for e in encoded])
    question = torch.stack([e[1] for e in encoded])
    counts = torch.tensor([e[2] for e in encoded])
    answers = torch.tensor([config.answers.index(s.answer) for s in stories])
    return story, question, counts, answers


def predict(network: MemN2N, data: tuple[torch.Tensor, ...]) -> tuple[torch.Tensor, torch.Tensor]:
    """Predicted answer indices `[n]` and attention `[n, hop, slot]` (slots newest last)."""
    story, question, counts, _ = data
    network.eval()
    answers, weights = [], []
    with torch.inference_mode():
        for start in range(0, len(story), 1024):
            rows = slice(start, start + 1024)
            logits, weight, _ = network(story[rows], question[rows], counts[rows])
            answers.append(logits.argmax(-1))
            weights.append(weight)
    return torch.cat(answers), torch.cat(weights)


def accuracy(network: MemN2N, data: tuple[torch.Tensor, ...]) -> float:
    predicted, _ = predict(network, data)
    return float((predicted == data[3]).float().mean())


def train_qa_memnet(
    folder: Path, log: Callable[[str], None], config: MemNetTrainConfig = MemNetTrainConfig()
) -> dict:
    """Train on all tasks at once, keep the best epoch on validation, ship it to `folder`."""
    from tqdm import tqdm

    torch.manual_seed(config.seed)
    rng = random.Random(config.seed)
    train_stories = training_stories(config.stories_per_task)
    vocabulary = build_vocabulary(train_stories)
    model_config = MemNetConfig(vocab=len(vocabulary.words), answers=babi.ANSWERS)
    network = MemN2N(model_config)
    train = tensors(train_stories, vocabulary, model_config)
    texts = {s.text for s in train_stories}
    valid = {
        task: tensors(
            babi.held_out(task, config.valid_per_task, VALID_SEED, texts), vocabulary, model_config
        )
        for task in babi.TASKS
    }
    optimiser = torch.optim.Adam(network.parameters(), lr=config.learning_rate)
    schedule = torch.optim.lr_scheduler.StepLR(optimiser, config.halve_every, gamma=0.5)
    started = time.monotonic()
    best: dict = {"valid_mean": -1.0}
    for epoch in range(1, config.epochs + 1):
        network.train()
        order = list(range(len(train[0])))
        rng.shuffle(order)
        for start in tqdm(
            range(0, len(order), config.batch_size), desc=f"epoch {epoch}", mininterval=5.0
        ):
            rows = torch.tensor(order[start : start + config.batch_size])
            story, question, counts, answers = (t[rows] for t in train)
            logits, _, _ = network(story, question, counts)
            loss = nn.functional.cross_entropy(logits, answers)
            optimiser.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(network.parameters(), 40.0)
            optimiser.step()
        schedule.step()
        scores = {task: accuracy(network, data) for task, data in valid.items()}
        mean = sum(scores.values()) / len(scores)
        minutes = (time.monotonic() - started) / 60
        log(
            f"epoch {epoch} loss {loss.item():.4f} valid {scores} mean {mean:.4f} "
            f"({minutes:.1f} min)"
        )
        if mean > best["valid_mean"]:
            best = {"epoch": epoch, "valid_mean": mean, "valid": scores}
            save_memnet(network, vocabulary, folder)
        if minutes > config.max_minutes or mean >= 0.999:
            break
    best["train_minutes"] = round((time.monotonic() - started) / 60, 1)
    log(f"shipped {folder.name}: {best}")
    return best


def evaluate_qa_memnet(n_per_task: int = 1000) -> dict:
    """Accuracy per task on held-out stories, and how often a hop attends most to the support."""
    from attnviz.models.memnet import load_qa_memnet

    model = load_qa_memnet()
    texts = {s.text for s in training_stories(MemNetTrainConfig().stories_per_task)}
    result: dict = {"model": "qa-memnet", "split": "held-out stories", "tasks": {}}
    for task in babi.TASKS:
        stories = babi.held_out(task, n_per_task, TEST_SEED, texts)
        data = tensors(stories, model.vocabulary, model.config)
        predicted, weights = predict(model.network, data)
        hit = []
        for row, story in enumerate(stories):
            n = len(story.sentences)
            top = weights[row, :, -n:].argmax(dim=-1)  # [hop]: the sentence each hop favours
            hit.append(any(int(t) in story.supporting for t in top))
        result["tasks"][str(task)] = {
            "name": babi.TASK_NAMES[task],
            "stories": len(stories),
            "accuracy": round(float((predicted == data[3]).float().mean()), 4),
            "some_hop_on_supporting_fact": round(sum(hit) / len(hit), 4),
        }
    result["parameters"] = sum(p.numel() for p in model.network.parameters())
    return result

"""One cache of loaded models, in the library: `attnviz.load`, folder loads and the app's
`get_model` all return the model kept in `attnviz.models.registry.LOADED`."""

from __future__ import annotations

import shutil
import threading

import attnviz
from attnviz.models import hf, registry


def test_the_library_the_folder_loader_and_the_app_share_one_model(tiny_folders):
    from attnviz.ui import cache

    folder = str(tiny_folders["bert"])
    model = attnviz.load(folder)
    assert hf.load_folder(folder) is model
    assert cache.get_model(folder) is model
    assert registry.loaded(folder) is model
    shipped = attnviz.load("bahdanau-dates")
    assert registry.loaded("bahdanau-dates") is shipped
    assert cache.get_model("bahdanau-dates") is shipped


def test_a_folder_not_loaded_yet_is_not_loaded_by_asking(tiny_folders, tmp_path):
    folder = shutil.copytree(tiny_folders["bert"], tmp_path / "bert")
    assert registry.loaded(str(folder)) is None
    assert registry.loaded(str(tmp_path / "missing")) is None
    assert registry.loaded(str(folder)) is None  # still: asking loaded nothing


def test_a_changed_folder_is_loaded_again(tiny_folders, tmp_path):
    folder = shutil.copytree(tiny_folders["bert"], tmp_path / "bert")
    first = attnviz.load(str(folder))
    (folder / "README.md").write_text("a new file in the folder\n")
    assert attnviz.load(str(folder)) is not first


def test_folder_models_are_bounded_and_shipped_ones_stay(tiny_folders, tmp_path):
    shipped = attnviz.load("bahdanau-dates")
    folders = [
        shutil.copytree(tiny_folders["bert"], tmp_path / f"bert-{n}")
        for n in range(registry.MAX_FOLDER_MODELS + 1)
    ]
    for folder in folders:
        attnviz.load(str(folder))
    assert registry.loaded(str(folders[0])) is None  # the least recently used folder went
    assert all(registry.loaded(str(folder)) is not None for folder in folders[1:])
    assert registry.loaded("bahdanau-dates") is shipped
    assert registry.LOADED.nbytes <= registry.MAX_FOLDER_MODELS


def test_threads_loading_one_folder_at_once_get_one_model(tiny_folders, tmp_path):
    folder = str(shutil.copytree(tiny_folders["bert"], tmp_path / "bert"))
    start = threading.Barrier(4)
    models = []

    def load() -> None:
        start.wait()
        models.append(attnviz.load(folder))

    threads = [threading.Thread(target=load) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(models) == 4 and all(model is models[0] for model in models)


def test_a_shipped_model_describes_itself_with_its_registry_entry():
    """One description per shipped model, the registry's, on every page and in `models`."""
    for name in ("bahdanau-dates", "luong-dot-en-es", "rnnenc-en-es"):
        assert attnviz.load(name).info.description == registry.REGISTRY[name].description


def test_an_rnn_translator_from_a_folder_says_what_it_is():
    from attnviz.models import rnn

    folder = registry.WEIGHTS_DIR / "rnnenc-en-es"
    assert rnn.load_folder(folder, "mine").info.description == (
        "BiGRU encoder and GRU decoder without attention"
    )
    folder = registry.WEIGHTS_DIR / "luong-dot-en-es"
    assert "Luong's dot attention" in rnn.load_folder(folder, "mine").info.description

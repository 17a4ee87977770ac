"""The names this module had when the course ran on TensorFlow only; they now live in
``hpo_lessons.backend`` (backend choice, quiet start-up, GPU set-up, seeding), ``hpo_lessons.cleanup``
(memory hygiene between trials) and
``hpo_lessons.training`` (batches, checkpoint state, callbacks), and work on every Keras backend.

Importing it imports Keras on the backend ``KERAS_BACKEND`` names (TensorFlow when unset and installed).
"""

from .backend import BACKEND, gpu_info, keras, set_seed, setup_backend, setup_tensorflow  # noqa: F401
from .cleanup import custom_gradients, forget_custom_gradients, fresh_session, released_after  # noqa: F401
from .training import (  # noqa: F401
    EpochLog,
    StopOnNonFinite,
    epoch_batches,
    eval_inputs,
    first_non_finite,
    fit_inputs,
    model_state,
    restore_state,
)

"""The names this module had when the course ran on TensorFlow only; they now live in
``hpo_lessons.backend`` (backend choice, quiet start-up, GPU set-up, seeding, memory hygiene) and
``hpo_lessons.training`` (batches, checkpoint state, callbacks), and work on every Keras backend.

Importing it imports Keras on the backend ``KERAS_BACKEND`` names (TensorFlow when unset and installed).
"""

from .backend import (  # noqa: F401
    BACKEND,
    custom_gradients,
    forget_custom_gradients,
    fresh_session,
    gpu_info,
    keras,
    released_after,
    set_seed,
    setup_backend,
    setup_tensorflow,
)
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

"""Our samplers and losses in the Hugging Face ``Trainer``.

:class:`BalancedTrainer` is a ``transformers.Trainer`` that draws its training rows through one
of our samplers and computes its training and evaluation loss with one of our losses; every
other argument is the ``Trainer``'s.

Under DDP (``torchrun``) the ``Trainer`` hands its training loader to accelerate, which gives
each process every n-th batch of the loader. So the sampler here draws the *whole* epoch, the
same on every process (``num_replicas=1, rank=0``: the plan comes from ``(seed, epoch)`` alone),
and accelerate splits it; the ``Trainer`` calls ``set_epoch`` on it every epoch. A sampler that
shards itself as well would hand each process a shard of a shard, so it is refused.

Needs the ``hf`` extra; ``import imbalance.torch`` never imports this module.
"""

from __future__ import annotations

from typing import Any, Callable

from torch import Tensor, nn
from torch.utils.data import BatchSampler, Dataset, Sampler

from imbalance._validation import InputTypeError, ParameterError, import_optional

transformers = import_optional("transformers", needed_by="imbalance.torch.hf",
                               install="`pip install 'imbalance[hf]'`")

__all__ = ["BalancedTrainer"]


class BalancedTrainer(transformers.Trainer):
    """A ``transformers.Trainer`` with one of our samplers and one of our losses.

    Parameters
    ----------
    *args, **kwargs
        As for ``transformers.Trainer`` (``model``, ``args``, ``train_dataset``, ...).
    train_sampler : Sampler or callable, optional
        A sampler of row indices of ``train_dataset``, or ``train_sampler(train_dataset) ->
        Sampler``, e.g. ``ClassBalancedSampler(labels, strategy="over", seed=0, num_replicas=1,
        rank=0)``. It draws the whole epoch, the same on every process; accelerate gives each
        process its batches. Default: the ``Trainer``'s own random sampler.
    loss : callable, optional
        ``loss(logits, labels) -> scalar``, a mean over the batch: one of our loss modules
        (``SoftmaxFocalLoss``, ``ClassBalancedLoss``, ``LogitAdjustedLoss``, ``LDAMLoss`` for one
        class per row; ``SigmoidFocalLoss``, ``AsymmetricLoss`` for multi-label rows with float
        0/1 labels), or a function. Used for the training loss and the evaluation loss, in place
        of the model's own; the ``Trainer`` divides it by the gradient accumulation steps.
        Default: the model's loss.

    Examples
    --------
    ::

        from imbalance.torch import ClassBalancedSampler, SoftmaxFocalLoss, torch_class_weights
        trainer = BalancedTrainer(
            model=model, args=TrainingArguments("out", num_train_epochs=3), train_dataset=train_set,
            train_sampler=ClassBalancedSampler(train_labels, strategy="over", seed=0, num_replicas=1, rank=0),
            loss=SoftmaxFocalLoss(gamma=2.0, alpha=torch_class_weights(train_labels)),
        )
        trainer.train()
    """

    def __init__(self, *args: Any, train_sampler: Sampler | Callable[[Dataset], Sampler] | None = None,
                 loss: Callable[[Tensor, Tensor], Tensor] | None = None, **kwargs: Any) -> None:
        if loss is not None:
            if not callable(loss):
                raise InputTypeError(f"loss must be a loss module or a function of (logits, labels), got {loss!r}.")
            if getattr(loss, "reduction", "mean") != "mean":
                raise ParameterError(f"loss must average over the batch (reduction='mean'), not {loss.reduction!r}.")
            if kwargs.get("compute_loss_func") is not None:
                raise ParameterError("pass loss= or compute_loss_func=, not both.")
        if train_sampler is not None and not (isinstance(train_sampler, Sampler) or callable(train_sampler)):
            raise InputTypeError("train_sampler must be a Sampler or a function of the training dataset.")
        super().__init__(*args, **kwargs)
        self.train_sampler = train_sampler
        self.loss = loss
        if isinstance(loss, nn.Module) and self.model is not None:
            loss.to(next(self.model.parameters()).device)  # its weight buffers go where the logits are
        if loss is not None:
            self.loss_is_scaled_for_ga = False  # a batch mean: the Trainer scales it for accumulation

    def _get_train_sampler(self, train_dataset: Dataset | None = None) -> Sampler | None:
        if self.train_sampler is None:
            return super()._get_train_sampler(train_dataset)
        dataset = train_dataset if train_dataset is not None else self.train_dataset
        sampler = self.train_sampler if isinstance(self.train_sampler, Sampler) else self.train_sampler(dataset)
        if isinstance(sampler, BatchSampler) or hasattr(sampler, "batch_size"):
            raise InputTypeError("train_sampler must draw row indices, not batches: the Trainer batches them itself.")
        if getattr(sampler, "num_replicas", 1) != 1:
            raise ParameterError(
                f"train_sampler shards itself over {sampler.num_replicas} processes, and accelerate shards the "
                "Trainer's batches again; build it with num_replicas=1, rank=0: every process then draws the same "
                "epoch and gets its own batches of it."
            )
        return sampler

    def compute_loss(self, model: nn.Module, inputs: dict, return_outputs: bool = False,
                     num_items_in_batch: Any = None) -> Tensor | tuple[Tensor, Any]:
        """The batch's loss by ``loss(logits, labels)`` when ``loss`` was given, else the model's."""
        if self.loss is None or "labels" not in inputs:
            return super().compute_loss(model, inputs, return_outputs=return_outputs,
                                        num_items_in_batch=num_items_in_batch)
        features = {name: value for name, value in inputs.items() if name != "labels"}
        outputs = model(**features)
        logits = outputs["logits"] if isinstance(outputs, dict) else outputs[0]
        loss = self.loss(logits, inputs["labels"])
        return (loss, outputs) if return_outputs else loss

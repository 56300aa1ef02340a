"""Let ``import torchvision`` succeed with the CPU-only torch (the CPU bundle's runtime hook).

Every torchvision wheel on PyPI is linked against CUDA, so with the CPU-only torch its
compiled operator library ``torchvision/_C.so`` cannot load; the CPU bundle leaves it out.
torchvision then still registers Python "meta"/"fake" kernels for those operators at
import time, and that fails with "operator torchvision::nms does not exist".

This module declares the operator *schemas* only, just before torchvision is first
imported (a meta-path finder, so starting the lab does not import torch early). No
kernel is registered: calling one of these operators (nms, roi_align, deform_conv2d, ...)
in the CPU bundle raises torch's own "could not run ... with arguments from the 'CPU'
backend" error. ganlab never calls them: it uses torchvision for data sets, transforms and
image grids. Where torchvision's own library does load, nothing is declared.

Used twice: as PyInstaller's runtime hook in the frozen CPU app, and in the CPU build
environment (a .pth file, written by build.sh) so PyInstaller's analysis can import
torchvision. Schemas copied from torchvision 0.29.2's registered operators (identical in 0.28).
"""

from __future__ import annotations

import glob
import importlib.abc
import importlib.machinery
import sys

_SCHEMAS = (
    "nms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor",
    "qnms(Tensor dets, Tensor scores, float iou_threshold) -> Tensor",
    "box_iou_rotated(Tensor boxes1, Tensor boxes2) -> Tensor",
    "roi_align(Tensor input, Tensor rois, float spatial_scale, SymInt pooled_height, "
    "SymInt pooled_width, int sampling_ratio, bool aligned) -> Tensor",
    "_roi_align_backward(Tensor grad, Tensor rois, float spatial_scale, SymInt pooled_height, "
    "SymInt pooled_width, SymInt batch_size, SymInt channels, SymInt height, SymInt width, "
    "int sampling_ratio, bool aligned) -> Tensor",
    "qroi_align(Tensor input, Tensor rois, float input_scale, int input_zero_point, "
    "float rois_scale, int rois_zero_point, float spatial_scale, SymInt pooled_height, "
    "SymInt pooled_width, int sampling_ratio, bool aligned) -> Tensor",
    "ps_roi_align(Tensor input, Tensor rois, float spatial_scale, SymInt pooled_height, "
    "SymInt pooled_width, int sampling_ratio) -> (Tensor, Tensor)",
    "_ps_roi_align_backward(Tensor grad, Tensor rois, Tensor channel_mapping, "
    "float spatial_scale, SymInt pooled_height, SymInt pooled_width, int sampling_ratio, "
    "SymInt batch_size, SymInt channels, SymInt height, SymInt width) -> Tensor",
    "roi_pool(Tensor input, Tensor rois, float spatial_scale, SymInt pooled_height, "
    "SymInt pooled_width) -> (Tensor, Tensor)",
    "_roi_pool_backward(Tensor grad, Tensor rois, Tensor argmax, float spatial_scale, "
    "SymInt pooled_height, SymInt pooled_width, SymInt batch_size, SymInt channels, "
    "SymInt height, SymInt width) -> Tensor",
    "ps_roi_pool(Tensor input, Tensor rois, float spatial_scale, SymInt pooled_height, "
    "SymInt pooled_width) -> (Tensor, Tensor)",
    "_ps_roi_pool_backward(Tensor grad, Tensor rois, Tensor channel_mapping, "
    "float spatial_scale, SymInt pooled_height, SymInt pooled_width, SymInt batch_size, "
    "SymInt channels, SymInt height, SymInt width) -> Tensor",
    "deform_conv2d(Tensor input, Tensor weight, Tensor offset, Tensor mask, Tensor bias, "
    "SymInt stride_h, SymInt stride_w, SymInt pad_h, SymInt pad_w, SymInt dilation_h, "
    "SymInt dilation_w, SymInt groups, SymInt offset_groups, bool use_mask) -> Tensor",
    "_deform_conv2d_backward(Tensor grad, Tensor input, Tensor weight, Tensor offset, "
    "Tensor mask, Tensor bias, SymInt stride_h, SymInt stride_w, SymInt pad_h, SymInt pad_w, "
    "SymInt dilation_h, SymInt dilation_w, SymInt groups, SymInt offset_groups, "
    "bool use_mask) -> (Tensor, Tensor, Tensor, Tensor, Tensor)",
)


class _DeclareBeforeTorchvision(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):  # type: ignore[no-untyped-def]
        if name == "torchvision":
            sys.meta_path.remove(self)
            _declare_schemas()
        return None  # the normal finders import torchvision itself


def _declare_schemas() -> None:
    import torch

    spec = importlib.machinery.PathFinder.find_spec("torchvision")
    folders = list(spec.submodule_search_locations or []) if spec else []
    if hasattr(sys, "_MEIPASS"):  # frozen: torchvision's files sit in the bundle
        folders.append(f"{sys._MEIPASS}/torchvision")
    for folder in folders:
        for library in sorted(glob.glob(f"{folder}/_C*.so")):
            try:
                torch.ops.load_library(library)
                return  # the real operators are there: declare nothing
            except OSError:
                pass  # CUDA-linked, as expected with the CPU-only torch
    library = torch.library.Library("torchvision", "DEF")
    for schema in _SCHEMAS:
        library.define(schema)
    # Keep the Library object alive: its registrations are undone when it is collected.
    torch._ganlab_torchvision_schemas = library  # type: ignore[attr-defined]


if "torchvision" not in sys.modules and not any(
    isinstance(f, _DeclareBeforeTorchvision) for f in sys.meta_path
):
    sys.meta_path.insert(0, _DeclareBeforeTorchvision())

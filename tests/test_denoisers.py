"""The PyTorch NLM is scikit-image's, ported: equal within 1e-5 (float64, CPU) on the nine denoising test images at
the two noise levels the package uses (σ_f 3, DeepRED's; 25, the NLM baseline's), on 64² centre crops."""
import numpy as np
import pytest
import torch
from deepred.data import find_set
from deepred.images import load_image, center_crop
from deepred.denoisers import NLM

IMAGES = sorted(find_set('cbm3d9').glob('*.png'))


def test_nine_images():
    assert len(IMAGES) == 9


@pytest.mark.parametrize('sigma_f', [3, 25])
@pytest.mark.parametrize('path', IMAGES, ids=lambda p: p.stem)
def test_torch_nlm_is_scikit_images(path, sigma_f):
    clean = torch.from_numpy(center_crop(load_image(path), (64, 64)).astype(np.float64)).permute(2, 0, 1)[None]
    g = torch.Generator().manual_seed(sigma_f)
    y = (clean + torch.randn(clean.shape, generator=g, dtype=torch.float64) * sigma_f / 255).clamp(0, 1)
    ref, ported = NLM(backend='skimage')(y, sigma_f), NLM(backend='torch')(y, sigma_f)
    assert ported.dtype == ref.dtype == torch.float64
    assert (ported - ref).abs().max().item() <= 1e-5

from torkeras.models.functional import Functional
from torkeras.models.model import Model
from torkeras.models.sequential import Sequential

from . import common
from . import dispute
from . import claims
from . import limitation
from . import dunning
from . import credit_insurance
from . import recovery

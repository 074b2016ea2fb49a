from . import account_dispute_open_wizard
from . import account_dispute_resolve_wizard
from . import account_dunning_run_wizard

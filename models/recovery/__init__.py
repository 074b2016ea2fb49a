from . import account_dispute_recovery
from . import account_dispute_recovery_line
from . import account_dispute_recovery_claim
from . import account_dispute_recovery_format
from . import account_dispute_recovery_proof
from . import account_dispute_litigation
from . import account_dunning_letter_recovery

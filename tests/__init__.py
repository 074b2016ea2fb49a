from . import test_account_dispute
from . import test_due_dates
from . import test_wizards
from . import test_security
from . import test_report
from . import test_dunning
from . import test_dunning_report
from . import test_escalation

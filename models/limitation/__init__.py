from . import res_company_limitation
from . import account_dispute_limitation
from . import account_move_limitation_event
from . import account_move_limitation
from . import account_move_limitation_acknowledgement

from . import account_dispute_date_range_mixin
from . import frozen_record_mixin
from . import row_lock
from . import confirm_labels
from . import states
from . import formats
from . import ir_attachment
from . import ir_filters

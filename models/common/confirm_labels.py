# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).


def label_confirmations(arch, labels):
    """Name the buttons of the confirmation dialogs of ``arch``'s buttons.

    A button's ``confirm`` opens a dialog whose buttons read "Ok" and
    "Cancel": under "Cancel this dispute?", "Cancel" reads both ways. The
    view's ``confirm-label`` and ``cancel-label`` attributes name them, but
    Odoo 18 does not translate those attributes in a view, so the models set
    them in ``_get_view`` (whose cache is per language), translated.

    :param arch: the view's architecture (lxml), changed in place.
    :param labels: {button name: (confirm label, cancel label)}, translated.
    """
    for name, (confirm_label, cancel_label) in labels.items():
        for node in arch.xpath("//button[@name=$name][@confirm]", name=name):
            node.set("confirm-label", confirm_label)
            node.set("cancel-label", cancel_label)
    return arch

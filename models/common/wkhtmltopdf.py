# Copyright 2026 account_dispute contributors
# License LGPL-3.0 or later (https://www.gnu.org/licenses/lgpl.html).
"""What the wkhtmltopdf that Odoo runs can do, asked once per process: the
letters' header (``res.company._letterhead_in_body``) and the send step's
rendering of several letters in one call
(``account.dunning.letter._render_pdfs``) depend on it."""

import functools
import subprocess

from odoo.addons.base.models.ir_actions_report import _get_wkhtmltopdf_bin


@functools.cache
def wkhtmltopdf_is_patched_qt():
    """Whether wkhtmltopdf is a build on a patched Qt, by its ``--version``
    ("wkhtmltopdf 0.12.6 (with patched qt)"); False when it cannot be run.
    Run once per process."""
    try:
        version = subprocess.run(
            [_get_wkhtmltopdf_bin(), "--version"],
            capture_output=True,
            check=False,
            timeout=30,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return b"patched qt" in version.lower()


def wkhtmltopdf_prints_headers():
    """Whether wkhtmltopdf prints the report layouts' header and footer.

    Only its builds on a patched Qt do; the others, such as Debian's package,
    ignore the --header-html and --footer-html that Odoo passes them, and the
    PDF has no company header.
    """
    return wkhtmltopdf_is_patched_qt()


def wkhtmltopdf_splits_records():
    """Whether Odoo can split one rendering of several records into one PDF a
    record (``ir.actions.report._render_qweb_pdf_prepare_streams``): only the
    patched-Qt build writes the PDF outlines it splits by."""
    return wkhtmltopdf_is_patched_qt()

"""Files the app hands back to the user: blank import templates, workbooks, briefing files.

Every builder takes its data as arguments and returns bytes (for ``st.download_button`` and the
command line); nothing here reads settings, files or the session state.
"""

from exports.templates import TEMPLATE_KINDS, build_template, template_file_name

__all__ = ["TEMPLATE_KINDS", "build_template", "template_file_name"]

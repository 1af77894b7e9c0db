"""«Del ditt eksempel» (/del-ditt-eksempel/): practice examples sent in without an account.

* ``forms``: the steps of the form, following the practice template, with the checks every
  field gets (lengths, national identity numbers) and the spam checks (honeypot, fill time);
* ``files``: attachments (Word and PDF), checked by their content like the importers check them;
* ``throttle``: how many submissions one address (IP and e-mail) may send per hour;
* ``drafts``: a confirmed submission becomes a draft practice example in «Faglig godkjenning»;
* ``notify``: the e-mail to the submitter and to the Godkjennere;
* ``views``/``urls``: the public pages; ``admin``: the admin list, the dashboard panel and the
  signal that tells the submitter when the example is published.

The model is ``practices.models.submissions``; docs/innsending.md describes the flow for operators.
"""

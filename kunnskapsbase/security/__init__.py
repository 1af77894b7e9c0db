"""Login protection and security headers: django-axes lockout page and admin report, the
Content-Security-Policy split between public site and Wagtail admin, and BREACH-safe compression."""

"""Two-factor authentication for staff who can see personal data (infobus.roles).

After the password, such a staff member without an authenticator app sets one up (a QR
code, then a code from the app to confirm) and is shown ten one-time backup codes; on every
later login the back office asks for a code from the app or one backup code, which is then
used up. Until then infobus.middleware.TwoFactorMiddleware lets them reach only these pages
(and the login and logout). Wrong codes count as failed logins for django-axes' lockout.
A coordinator resets a lost device by deleting it in the back office (OTP devices).
"""

sign-out = Abmelden

"""Results made public: publishing a unit's period on its public page, and what that page shows."""

package store

import (
	"context"
	"database/sql"
	"fmt"
)

// The account management the admin page (/admin/users) and the tokens page
// (/account/tokens) need beyond the dataset commands: the users with their
// last login, a role changed, a user's own token revoked.

// UserAccount is a user as the admin page lists them, with the time of
// their last login ("" when they never logged in): the newest session made,
// and whether they have yet to set a password (an account made with a
// link, not yet used).
type UserAccount struct {
	User
	LastLogin  string
	NoPassword bool
}

// UserAccounts lists the accounts by name, each with its last login.
func (s *Store) UserAccounts(ctx context.Context) ([]UserAccount, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT u.id, u.name, u.role, u.created_at, u.disabled_at,
(SELECT MAX(created_at) FROM sessions WHERE user_id = u.id), u.password_hash = '' FROM users u ORDER BY u.name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []UserAccount
	for rows.Next() {
		var a UserAccount
		var role string
		var disabled, last sql.NullString
		if err := rows.Scan(&a.ID, &a.Name, &role, &a.CreatedAt, &disabled, &last, &a.NoPassword); err != nil {
			return nil, err
		}
		a.Role, a.Disabled, a.LastLogin = Role(role), disabled.Valid, last.String // NoPassword: password_hash is noPassword
		out = append(out, a)
	}
	return out, rows.Err()
}

// ValidUserName says whether AddUser takes name as a user name (it says
// why not itself); a form uses it to place its message beside the field.
func ValidUserName(name string) bool { return userName.MatchString(name) && name != ImportAuthor }

// SetRole gives the user of that name another role. It holds from their
// next request, sessions and tokens alike, since every lookup reads the
// role afresh.
func (s *Store) SetRole(ctx context.Context, name string, role Role) error {
	if _, err := ParseRole(string(role)); err != nil {
		return err
	}
	res, err := s.db.ExecContext(ctx, s.q("UPDATE users SET role = ? WHERE name = ?"), string(role), name)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("user %q: %w", name, ErrNoUser)
	}
	return nil
}

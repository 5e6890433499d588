package crm_test

import (
	"errors"

	"roster/crm"
)

func asField(err error, fe **crm.FieldError) bool { return errors.As(err, fe) }

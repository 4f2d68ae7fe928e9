package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"text/tabwriter"

	"github.com/inexopay/inexopay-go"
)

// errDoctor is the error of a doctor run that found a problem; it exits
// with exitDoctor.
var errDoctor = errors.New("doctor found a problem")

const doctorHelp = "Check that this machine can use the API at -base-url: the host answers,\n" +
	"its TLS certificate is valid, which HTTP protocol is negotiated, the\n" +
	"credentials are accepted (Account.Status, read-only) and the account\n" +
	"active, the key's bound IP is the IP INEXOPAY sees, and every endpoint's\n" +
	"path answers like an INEXOPAY endpoint. Each path is probed with one POST\n" +
	"without credentials and without fields, which cannot charge: the API\n" +
	"refuses it for want of credentials. A wrong path is named with the -path\n" +
	"flag (or the WithPath option) to try. Prints a table, or JSON with -json;\n" +
	"exits 9 when anything is wrong.\n"

// doctorJSON is the -json output of doctor.
type doctorJSON struct {
	OK bool `json:"ok"`
	*inexopay.Diagnosis
}

func (c *cli) doctor(ctx context.Context, client *inexopay.Client, _ []string) error {
	d, err := client.Diagnose(ctx)
	if err != nil {
		return err
	}
	if c.opts.json {
		if err := c.printJSON(doctorJSON{OK: d.OK(), Diagnosis: d}); err != nil {
			return err
		}
	} else if err := c.printDiagnosis(d); err != nil {
		return err
	}
	if failed := d.Failed(); len(failed) > 0 {
		return fmt.Errorf("%w: %d of %d checks failed", errDoctor, len(failed), len(d.Checks))
	}
	return nil
}

// printDiagnosis prints the checks as a table, each fix on a line of its
// own under its check.
func (c *cli) printDiagnosis(d *inexopay.Diagnosis) error {
	fmt.Fprintf(c.stdout, "inexopay doctor: %s\n\n", oneLine(d.BaseURL))
	tw := tabwriter.NewWriter(c.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CHECK\tRESULT\tDETAIL")
	for _, ck := range d.Checks {
		name := string(ck.Name)
		if ck.Endpoint != "" {
			name = string(ck.Endpoint)
		}
		result := string(ck.Result)
		if ck.Result == "fail" {
			result = "FAIL"
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\n", oneLine(name), result, oneLine(ck.Detail))
		if ck.Fix != "" {
			fix := ck.Fix
			if ck.Endpoint != "" {
				fix += " With this command: -path " + string(ck.Endpoint) + "=/the/right/path.php"
			}
			fmt.Fprintf(tw, "\t\tfix: %s\n", oneLine(fix))
		}
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	failed := d.Failed()
	if len(failed) == 0 {
		_, err := fmt.Fprintf(c.stdout, "\nAll %d checks passed.\n", len(d.Checks))
		return err
	}
	var names []string
	for _, f := range failed {
		if f.Endpoint != "" {
			names = append(names, string(f.Endpoint))
		} else {
			names = append(names, string(f.Name))
		}
	}
	_, err := fmt.Fprintf(c.stdout, "\n%d of %d checks failed: %s.\n", len(failed), len(d.Checks), strings.Join(names, ", "))
	return err
}

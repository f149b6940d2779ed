package geo

import "testing"

func TestBaseShort(t *testing.T) {
	for name, want := range map[string]string{
		"Ain al-Asad Air Base": "Ain al-Asad", "Erbil International Airport": "Erbil", "Al-Tanf garrison": "Al-Tanf",
		"Baghdad Diplomatic Support Center": "Baghdad DSC", "Tower 22": "Tower 22",
		"Mission Support Site Green Village (al-Omar oil field)": "Green Village", "Patrol Base Shaddadi": "Shaddadi",
		"Rumalyn Landing Zone (Rmelan, Kharab al-Jir)": "Rumalyn", "Tal Baydar base": "Tal Baydar",
		"US Embassy Baghdad and Union III": "US Embassy Baghdad", "Base": "Base",
	} {
		if got := (Base{Name: name}).Short(); got != want {
			t.Errorf("Short of %q = %q, want %q", name, got, want)
		}
	}
	if got := (Base{Name: "Mission Support Site Euphrates (Conoco)", ShortName: "MSS Euphrates"}).Short(); got != "MSS Euphrates" {
		t.Errorf("a short_name in the data is not used: %q", got)
	}
}

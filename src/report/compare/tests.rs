use super::csv::csv_field;
use super::*;
use crate::canon::indicators::Catalog;

fn dv(v: Option<f64>, n: Option<f64>, d: Option<f64>) -> DocValue {
    DocValue { value: v, text: None, numerator: n, denominator: d, origin: Origin::Derived }
}

#[test]
fn rates_are_recomputed_from_sums_never_averaged() {
    let cat = Catalog::builtin();
    let ind = cat.get("tthc.ho_so.dung_han_ty_le").unwrap();
    let a = dv(Some(99.52), Some(843.0), Some(847.0));
    let b = dv(Some(99.96), Some(7256.0), Some(7259.0));
    let c = dv(Some(50.0), None, None);
    let agg = aggregate(ind, &[&a, &b, &c]).unwrap();
    assert_eq!(agg.units, 2);
    let expect = (843.0 + 7256.0) / (847.0 + 7259.0) * 100.0;
    assert!((agg.value.unwrap() - expect).abs() < 1e-9);
    assert!(agg.note.is_some());
    let cnt = cat.get("tthc.ho_so.giai_quyet").unwrap();
    let s = aggregate(cnt, &[&dv(Some(847.0), None, None), &dv(Some(7259.0), None, None)]).unwrap();
    assert_eq!((s.value, s.units), (Some(8106.0), 2));
}

#[test]
fn csv_names_and_fields() {
    assert_eq!(csv_name(SHEET_COMPARE), "so_sanh.csv");
    assert_eq!(csv_name(SHEET_SERIES), "chuoi_thoi_gian.csv");
    assert_eq!(csv_field(&V::Num(7259.0, NumFmt::Count)), "7259");
    assert_eq!(csv_field(&V::Num(99.519999, NumFmt::Percent)), "99.52");
    assert_eq!(csv_field(&V::text("a, \"b\"")), "\"a, \"\"b\"\"\"");
}
